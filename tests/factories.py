"""Small builders for test data, written with the ORM (tests read better than fixtures files)."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app

from app.domain import roles, rules
from app.domain.choices import GrantReason
from app.extensions import db
from app.models import (
    Appeal,
    AppealDocument,
    Category,
    Centre,
    Circumstance,
    Citizen,
    Committee,
    Consent,
    Measure,
    Organisation,
    Programme,
    StaffProfile,
    Territory,
)
from app.platform.clock import today as regional_today
from app.security import grants
from app.security import roles as security_roles

PASSWORD = "Test-Password-123"
# A Redis database of its own (TEST_REDIS_URL): the tests that talk to a real Redis and worker empty it
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
_seq = itertools.count(1)

VALID_SNILS = ("112-233-445 95", "156-708-734 95", "087-654-303 00")


def add(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def user(
    username: str,
    role: str,
    centre: Centre | None = None,
    territory: Territory | None = None,
    confirmed=True,
    organisation: Organisation | None = None,
):
    """A user of ``role`` working in ``centre``, ``territory`` or (a partner) ``organisation``; a role opening case
    data comes with its grant confirmed (``confirmed=False``: the grant waits for a second person, as the
    administrator's changes do)."""
    sm = current_app.appbuilder.sm
    created = sm.add_user(username, username, "Test", f"{username}@example.org", sm.find_role(role), PASSWORD)
    assert created, f"could not create {username}"
    add(StaffProfile(user_id=created.id, centre=centre, territory=territory, organisation=organisation, position=role))
    if confirmed and role in roles.CASE_ROLES:
        grants.record_confirmed(created, GrantReason.ROLES, "test data")
        db.session.commit()
    return created


def territory(name: str | None = None) -> Territory:
    return add(Territory(name=name or f"Территория {next(_seq)}"))


def centre(territory_: Territory, name: str | None = None) -> Centre:
    n = next(_seq)
    return add(Centre(name=name or f"КЦСОН «Центр {n}»", short_name=f"Центр {n}", territory=territory_))


def citizen(centre_: Centre, **kw) -> Citizen:
    values = {
        "surname": f"Иванов{next(_seq)}",
        "first_name": "Иван",
        "patronymic": "Иванович",
        "birth_date": date(1950, 3, 1),
        "sex": "male",
        "disability_group": "none",
        "work_limitation": "none",
        "family_status": "single",
    }
    values.update(kw)
    return add(Citizen(centre=centre_, **values))


def appeal(citizen_: Citizen, with_documents: bool = True, **kw) -> Appeal:
    values = {
        "journal_number": str(next(_seq)),
        "appeal_date": regional_today() - timedelta(days=30),
        "channel": "application",
        "reason": "Трудная жизненная ситуация",
        "decision": "enrolled",
    }
    values.update(kw)
    item = Appeal(centre=citizen_.centre, citizen=citizen_, **values)
    if with_documents:
        for kind in ("application", "need_assessment"):
            item.documents.append(AppealDocument(kind=kind, document_date=values["appeal_date"]))
    return add(item)


def transfer(programme_: Programme, organisation_: Organisation, *, phone: bool = False, **kw) -> Measure:
    """A measure of the programme carried out by the organisation, and the citizen's consent to passing the data to
    it (``phone``: the phone too)."""
    consent(programme_.citizen, organisations=[organisation_], with_phone=phone)
    return measure(programme_, organisations=[organisation_], **kw)


def consent(citizen_: Citizen, **kw) -> Consent:
    values = {"signed_on": regional_today() - timedelta(days=30), "scope": "Обработка персональных данных"}
    values.update(kw)
    return add(Consent(citizen=citizen_, **values))


def programme(citizen_: Citizen, specialist=None, **kw) -> Programme:
    start = kw.pop("start_date", regional_today() - timedelta(days=20))
    values = {
        "number": f"П-{next(_seq)}",
        "start_date": start,
        "end_date": start + timedelta(days=170),
        "status": "active",
        "stage": 1,
    }
    values.update(kw)
    return add(Programme(citizen=citizen_, centre=citizen_.centre, specialist=specialist, **values))


def measure(programme_: Programme, **kw) -> Measure:
    values = {"title": "Консультация юриста", "kind": "legal", "due_date": regional_today() + timedelta(days=10)}
    values.update(kw)
    return add(Measure(programme=programme_, **values))


def organisation(territory_: Territory | None = None, **kw) -> Organisation:
    values = {"name": f"Организация {next(_seq)}", "kind": "health"}
    values.update(kw)
    return add(Organisation(territory=territory_, **values))


def committee(centre_: Centre, **kw) -> Committee:
    values = {
        "kind": "extension_commission",
        "name": f"Комиссия {next(_seq)}",
        "order_number": "12-о",
        "order_date": regional_today() - timedelta(days=100),
    }
    values.update(kw)
    return add(Committee(centre=centre_, **values))


def draft_case(world: World, start: date) -> Programme:
    """A draft programme of centre A, ready to activate: an appeal with the application and the need assessment,
    a valid consent, specialist A responsible, the longest term without extension."""
    citizen_ = citizen(world.centre_a)
    appeal_ = appeal(citizen_, decision="pending", appeal_date=start - timedelta(days=3))
    consent(citizen_, signed_on=start - timedelta(days=3))
    return programme(
        citizen_,
        specialist=world.users["specialist"],
        appeal=appeal_,
        status="draft",
        start_date=start,
        end_date=rules.max_end_date(start),
    )


def draft_case_in(centre_: Centre, start: date, specialist=None, appealed: date | None = None) -> Programme:
    """``draft_case`` in any centre (the demo's): a citizen, an appeal with its pack and a consent (three days before
    the start, or on ``appealed``), a draft."""
    citizen_ = citizen(centre_)
    appealed = appealed or start - timedelta(days=3)
    appeal_ = appeal(citizen_, decision="pending", appeal_date=appealed)
    consent(citizen_, signed_on=appealed)
    return programme(
        citizen_,
        specialist=specialist,
        appeal=appeal_,
        status="draft",
        start_date=start,
        end_date=rules.max_end_date(start),
    )


@dataclass
class World:
    """A minimal region: territory A with centre A and its staff, territory B with centre B."""

    territory_a: Territory
    territory_b: Territory
    centre_a: Centre
    centre_b: Centre
    category: Category
    circumstance: Circumstance
    users: dict[str, object] = field(default_factory=dict)
    organisation: Organisation | None = None  # a health organisation of territory A, whose user is "partner"

    @classmethod
    def build(cls) -> World:
        ta, tb = territory("Территория А"), territory("Территория Б")
        ca, cb = centre(ta, "КЦСОН «Альфа»"), centre(tb, "КЦСОН «Бета»")
        world = cls(
            territory_a=ta,
            territory_b=tb,
            centre_a=ca,
            centre_b=cb,
            category=add(Category(name="Граждане пожилого возраста", sort_order=1)),
            circumstance=add(Circumstance(name="Утрата способности к самообслуживанию", sort_order=1)),
        )
        world.users = {
            "admin": user("admin", roles.ADMIN),
            "department": user("department", roles.DEPARTMENT),
            "territory": user("territory", roles.TERRITORY, territory=ta),
            "director": user("director", roles.DIRECTOR, centre=ca),
            "specialist": user("specialist", roles.SPECIALIST, centre=ca),
            "registrar": user("registrar", roles.REGISTRAR, centre=ca),
            "specialist_b": user("specialist_b", roles.SPECIALIST, centre=cb),
        }
        world.organisation = organisation(ta, name="Поликлиника «Альфа»", kind="health")
        world.users["partner"] = user("partner", roles.PARTNER, organisation=world.organisation)
        return world


def operator(model: type) -> str:
    """The test-world user who may do everything on a model's records: the admin, or centre A's director for case
    data."""
    return "admin" if security_roles.level(model, roles.ADMIN) == roles.FULL else "director"


def operator_for_view(view_endpoint: str) -> str:
    """``operator`` for a view given by its URL name (``citizenview``)."""
    view = next(v for v in current_app.appbuilder.baseviews if type(v).__name__.lower() == view_endpoint)
    return operator(view.datamodel.obj)
