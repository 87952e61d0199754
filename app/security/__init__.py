"""The console's security manager: Alembic owns the schema, roles come from ``roles.py``."""

from __future__ import annotations

from flask_appbuilder.security.sqla.manager import SecurityManager as _FabSecurityManager

from app.security.roles import ALL_ROLES


class SecurityManager(_FabSecurityManager):
    def create_db(self) -> None:
        """Never ``create_all`` behind Alembic's back; roles are created by ``flask roles sync``."""

    def sync_roles(self) -> list[str]:
        """Create the declared roles that are missing; idempotent. Returns the names created."""
        created = []
        for name in (*ALL_ROLES, self.auth_role_public):
            if self.find_role(name) is None:
                self.add_role(name)
                created.append(name)
        return created
