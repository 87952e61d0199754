"""Access to case data, four eyes: the requests the administrator's changes make, and their confirmation.

The list shows every request with its state; a pending one's card offers «Подтвердить» / «Отклонить» to the person
who may decide it (``app.domain.roles.check_confirmation``: the centre's director for the centre's staff, a
department user for directors, territories and the department). The administrator sees the requests and their fate
but decides none. The region's first department user is confirmed on the server: ``flask access
confirm-first-department <username>`` (README).
"""

from __future__ import annotations

import getpass

import click
from flask import abort, current_app, g, redirect, request, url_for
from flask.cli import AppGroup
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.choices import GrantStatus
from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab.actions import run_action
from app.fab.interface import eager
from app.fab.registry import ADMINISTRATION, Menu
from app.fab.views import ConsoleModelView
from app.models import AccessGrant
from app.platform.labels import role_labels, rule_message
from app.security import grants


class AccessGrantView(ConsoleModelView):
    datamodel = eager(AccessGrant, "user", "centre", "territory", "organisation", "requested_by", "decided_by")
    menu = Menu("Access grants", _l("Access to case data"), "fa-user-check", ADMINISTRATION)
    list_title = _l("Access to case data: requests and confirmations")
    show_title = _l("Request for access to case data")
    show_template = "admin/grant.html"
    list_columns = [
        "user",
        "roles",
        "centre",
        "territory",
        "organisation",
        "reason",
        "status",
        "requested_by",
        "requested_at",
    ]
    show_columns = [
        "user",
        "roles",
        "centre",
        "territory",
        "organisation",
        "reason",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "note",
    ]
    search_columns = ["status", "reason", "centre"]
    base_order = ("requested_at", "desc")
    formatters_columns = {"roles": role_labels}

    def render_template(self, template, **kwargs):
        if template == self.show_template:
            grant = self.datamodel.get(kwargs.get("pk"))
            kwargs["may_decide"] = grant is not None and _may_decide(grant)
        return super().render_template(template, **kwargs)

    def _grant(self, pk: int) -> AccessGrant:
        grant = self.datamodel.get(pk)
        if grant is None:
            abort(404)
        return grant

    @expose("/confirm/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("show")
    def confirm(self, pk: int):
        return self._decide(pk, grants.confirm, _("Access is confirmed: it takes effect now."))

    @expose("/refuse/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("show")
    def refuse(self, pk: int):
        return self._decide(pk, grants.refuse, _("The request is refused."))

    def _decide(self, pk: int, decision, success: str):
        """The user decides the request (``app.security.grants`` asks whether he may), with the note he wrote."""
        grant = self._grant(pk)
        run_action(lambda: decision(grant, g.user, request.form.get("note")), success)
        return redirect(url_for(".show", pk=pk))


def _may_decide(grant: AccessGrant) -> bool:
    if grant.status != GrantStatus.PENDING:
        return False
    try:
        grants.check_decidable(grant, g.user)
    except RuleViolation:
        return False
    return True


access_cli = AppGroup("access", help="Access to case data (four eyes).")


@access_cli.command("confirm-first-department")
@click.argument("username")
def confirm_first_department(username: str) -> None:
    """Confirm the region's first department user (allowed only while none has confirmed access)."""
    user = current_app.appbuilder.sm.find_user(username=username)
    if user is None:
        raise click.ClickException(f"no user {username}")
    note = f"confirmed on the server by {getpass.getuser()} (flask access confirm-first-department)"
    try:
        grants.confirm_first_department(user, note)
    except RuleViolation as violation:
        db.session.rollback()
        raise click.ClickException(rule_message(violation)) from None
    db.session.commit()
    click.echo(f"{username}: department access confirmed")
