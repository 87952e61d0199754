"""Partner organisations of the interagency working group in the console (S2, 442-ФЗ art. 22): a partner's user
sees «Мероприятия организации» — the measures assigned to the organisation, with only what carrying them out needs,
while the citizen's consent covers the transfer — and reports progress and results on them.

Who sees which measure is the measure's declaration (``app.models.policy.ForPartner``) turned into SQL by
``app.security.scope``; what a report may say is ``app.domain.partners``; a report is recorded by this feature's
save step for every way it is made (the page and ``PUT /api/v1/measure/<id>``).

Other features use what this package exports here, never its modules.
"""

from __future__ import annotations

__all__ = ["init_app"]


def init_app(app, appbuilder) -> None:
    from app.fab.registry import register
    from app.partners import steps, views

    steps.register()
    register(appbuilder, views.PartnerMeasuresView)
