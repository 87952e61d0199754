"""Citizens: the citizen's card (programme form §1), household, consents, the journal of appeals with its document
pack, and the search for a person already registered in another centre."""

from __future__ import annotations


def init_app(app, appbuilder) -> None:
    from app.citizens import lookups, steps
    from app.citizens.api import AppealApi, CitizenApi
    from app.citizens.views import AppealDocumentView, AppealView, CitizenView, ConsentView, HouseholdMemberView
    from app.fab.registry import register

    steps.register()
    lookups.register()
    register(appbuilder, CitizenView, ConsentView, AppealView, AppealDocumentView, HouseholdMemberView)
    register(appbuilder, CitizenApi, AppealApi)
