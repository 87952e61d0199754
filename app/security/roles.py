"""Flask-AppBuilder's roles, worked out from the models' declarations.

Every registered view and REST API over a declared model (``__policy__``, ``app.models.policy``) is a *surface*;
a role gets on each surface the permissions of its level for the model, and the menu entries that lead there.
The result is FAB's builtin roles (``[view regex, permission regex]`` pairs, checked in memory without permission
queries). ``flask roles sync`` creates the role rows users are attached to. Row-level limits (which centre) live in
``app.security.scope``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.roles import ADMIN, ALL_ROLES, FULL, PARTNER, PUBLIC, READ, REPORT, WRITE
from app.models.policy import policy_of

PERMISSIONS = {
    READ: ("can_list", "can_show", "can_get", "can_info"),
    REPORT: ("can_list", "can_show", "can_get", "can_edit", "can_put"),
    WRITE: ("can_list", "can_show", "can_get", "can_info", "can_add", "can_edit", "can_post", "can_put"),
    FULL: (
        "can_list",
        "can_show",
        "can_get",
        "can_info",
        "can_add",
        "can_edit",
        "can_post",
        "can_put",
        "can_delete",
    ),
}

# What every signed-in user needs: own profile, password, menu API, API docs.
SELF_SERVICE = [
    ["UserDBModelView", r"can_userinfo$"],
    ["UserInfoEditView", r"can_this_form_(get|post)$"],
    ["ResetMyPasswordView", r"can_this_form_(get|post)$"],
    ["MenuApi", r"can_get$"],
    ["OpenApi", r"can_get$"],
    ["SwaggerView", r"can_show$"],
]


@dataclass(frozen=True)
class Surface:
    """A view or REST API (its permission name) over a declared model, and the menu entries that lead to it."""

    name: str
    model: type
    menus: tuple[str, ...] = ()
    api: bool = False
    # the partner organisations' users: ``None`` — not theirs (a centre's view shows what a partner must not see);
    # ``"also"`` — theirs too (the measures' API trims its answers for them); ``"only"`` — theirs alone
    partners: str | None = None


def serves(surface, role: str) -> bool:
    """Is the surface (a ``Surface``, a view or an API) for this role at all, before the model's level for the role
    is asked?"""
    partners = getattr(surface, "partners", None)
    if role == PARTNER:
        return partners is not None
    return partners != "only"


def level(model: type, role: str) -> str | None:
    """The access level of a role to a model's records (``None``: no access)."""
    policy = policy_of(model)
    return policy.level(role) if policy is not None else None


def allowed(model: type, role: str, permission: str) -> bool:
    lvl = level(model, role)
    return lvl is not None and permission in PERMISSIONS[lvl]


def _alternatives(names: Iterable[str]) -> str:
    return "(" + "|".join(re.escape(n) for n in sorted(set(names))) + ")$"


def _role_pairs(role: str, surfaces: list[Surface]) -> list[list[str]]:
    pairs = [list(pair) for pair in SELF_SERVICE]
    menus: set[str] = set()
    for surface in surfaces:
        lvl = level(surface.model, role)
        if lvl is None or not serves(surface, role):
            continue
        if surface.name:  # a link to a custom page has menus only
            pairs.append([_alternatives([surface.name]), _alternatives(PERMISSIONS[lvl])])
        menus.update(surface.menus)
    if menus:
        pairs.append([_alternatives(menus), r"menu_access$"])
    return pairs


def _admin_pairs(surfaces: list[Surface]) -> list[list[str]]:
    """Admin: the declared surfaces as their models say, and everything of FAB's own security pages but the generic
    file download (no role downloads a stored file by its name: ``app.fab.registry``)."""
    ours = [name for s in surfaces for name in (s.name, *s.menus) if name]
    return [*_role_pairs(ADMIN, surfaces), [rf"(?!{_alternatives(ours)}).*", r"(?!can_download$).*"]]


def builtin_roles(surfaces: list[Surface]) -> dict[str, list[list[str]]]:
    """FAB_ROLES for the registered surfaces."""
    return {
        ADMIN: _admin_pairs(surfaces),
        **{role: _role_pairs(role, surfaces) for role in ALL_ROLES if role != ADMIN},
        PUBLIC: [],
    }
