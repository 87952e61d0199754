"""Administration: reference data (territories, centres, units, partner organisations, categories, circumstances),
staff profiles, the audit log, the journal of background jobs, and ``flask roles sync``."""

from __future__ import annotations


def init_app(app, appbuilder) -> None:
    from app.admin import cli
    from app.admin.api import CentreApi
    from app.admin.reference import (
        CategoryView,
        CentreView,
        CircumstanceView,
        OrganisationView,
        TerritoryView,
        UnitView,
    )
    from app.admin.views import AuditEntryView, JobRunView, StaffProfileView
    from app.fab.lookups import Lookup, register_lookup
    from app.fab.registry import register
    from app.models import Organisation

    register_lookup(
        "organisation",
        Lookup(Organisation, "OrganisationView", Organisation.name, str),
    )
    register(
        appbuilder,
        TerritoryView,
        CentreView,
        UnitView,
        OrganisationView,
        CategoryView,
        CircumstanceView,
        StaffProfileView,
        AuditEntryView,
        JobRunView,
        CentreApi,
    )
    app.cli.add_command(cli.roles_cli)
