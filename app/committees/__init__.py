"""Committees: the centres' extension commissions and the territories' interagency working groups, their members
and their decisions on programmes (an extension decision extends the programme)."""

from __future__ import annotations


def init_app(app, appbuilder) -> None:
    from app.committees import steps
    from app.committees.api import CommitteeApi, DecisionApi
    from app.committees.views import CommitteeMemberView, CommitteeView, DecisionView
    from app.fab.registry import register

    steps.register()
    register(appbuilder, CommitteeView, CommitteeMemberView, DecisionView, CommitteeApi, DecisionApi)
