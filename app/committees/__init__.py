"""Committees: the centres' extension commissions and the territories' interagency working groups, their members
and their decisions on programmes (an extension decision extends the programme)."""

from __future__ import annotations


def init_app(app, appbuilder) -> None:
    from sqlalchemy.orm import contains_eager

    from app.committees import steps
    from app.committees.api import CommitteeApi, DecisionApi
    from app.committees.views import CommitteeMemberView, CommitteeView, DecisionView
    from app.domain.choices import DecisionKind
    from app.fab.lookups import Lookup, register_lookup
    from app.fab.registry import register
    from app.models import Citizen, CommitteeDecision, Programme

    steps.register()
    # the decision that approved a measure, chosen by search (a centre's decisions grow with every extension and
    # approval over the years, and a form never lists a whole table): the approvals of measures, found by their
    # programme's number or citizen's name, the newest first
    register_lookup(
        "committee_decision",
        Lookup(
            CommitteeDecision,
            "DecisionView",
            CommitteeDecision.meeting_date.desc(),
            lambda decision: f"{decision} — {decision.programme}",
            keys=(Programme.search, Citizen.search),
            joins=(CommitteeDecision.programme, Programme.citizen),
            options=(contains_eager(CommitteeDecision.programme).contains_eager(Programme.citizen),),
            where=(CommitteeDecision.decision == DecisionKind.APPROVE_MEASURES,),
        ),
    )
    register(appbuilder, CommitteeView, CommitteeMemberView, DecisionView, CommitteeApi, DecisionApi)
