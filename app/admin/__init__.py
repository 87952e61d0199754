"""Administration: reference data (territories, centres, units, partner organisations, categories, circumstances),
staff profiles, the requests for access to case data and their confirmation (four eyes), the audit log, the journal
of background jobs, ``flask roles sync`` and ``flask access confirm-first-department``."""

from __future__ import annotations


def init_app(app, appbuilder) -> None:
    from app.admin import cli
    from app.admin.access import AccessGrantView, access_cli
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
        AccessGrantView,
        AuditEntryView,
        JobRunView,
        CentreApi,
    )
    app.cli.add_command(cli.roles_cli)
    app.cli.add_command(access_cli)
