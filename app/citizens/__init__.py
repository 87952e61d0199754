"""Citizens: the citizen's card (programme form §1), household, consents, the journal of appeals with its document
pack, and the search for a person already registered in another centre."""

from __future__ import annotations

from app.citizens.pack import PackEntry, appeal_documents, document_pack

__all__ = ["PackEntry", "appeal_documents", "document_pack", "init_app"]


def init_app(app, appbuilder) -> None:
    from app.citizens import lookups, steps
    from app.citizens.api import AppealApi, CitizenApi
    from app.citizens.views import AppealDocumentView, AppealView, CitizenView, ConsentView, HouseholdMemberView
    from app.fab.files import file_link
    from app.fab.registry import register

    steps.register()
    lookups.register()
    register(appbuilder, CitizenView, ConsentView, AppealView, AppealDocumentView, HouseholdMemberView)
    register(appbuilder, CitizenApi, AppealApi)
    app.jinja_env.globals.update(document_pack=document_pack, file_link=file_link)
