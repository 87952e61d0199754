"""The machinery of the generic isolation test (``test_isolation.py``): a marked region, its probes, the verdict.

A *marked* region: two centres in two territories, each with one record of every kind of case data, committee and
report, every record carrying a unique token in a text column. A record is *foreign* to a user when the user's
roles (as the models' ``__policy__`` declare them) or centre scope do not let the user see it: centre B's records
for centre A's staff and territory, programmes for a registrar, every case record for the administrator, and for a
partner organisation's user everything but its organisation's measures with the citizen's consent to the transfer
(and those citizens' names, which its page shows by design): another organisation's measure, a measure of the other
territory, a measure whose citizen's consent does not name the transfer.

The probes are discovered from the app: every URL rule (``app.url_map``) with every id argument filled with foreign
ids of the model behind its view, every add, edit and search form of every registered model view
(``appbuilder.baseviews``) with foreign ids in every relation field, every operation of the OpenAPI description with
foreign ids in the path, the body and the filters, every search-as-you-type list searched for foreign tokens. A
response that holds a foreign token (in HTML, JSON, or a workbook's XML) is a leak; so is a change of a foreign
record, or an own record made to point at a foreign one.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_appbuilder import ModelView
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import inspect, select
from wtforms.fields.core import UnboundField

from app.domain import roles
from app.extensions import db
from app.fab.lookups import LOOKUPS, LookupField
from app.models import (
    AppealDocument,
    Centre,
    ChecklistItem,
    Citizen,
    Committee,
    CommitteeDecision,
    CommitteeMember,
    Consent,
    ControlEvent,
    HouseholdMember,
    Measure,
    MonthlyReport,
    Programme,
    Reminder,
    Unit,
)
from app.models.policy import policy_of
from app.platform.clock import today as regional_today
from app.reporting import submit_report
from app.security.grants import effective_role_names
from app.security.roles import allowed, level
from app.security.scope import restrict, scope_for
from tests import factories

TOKEN = re.compile(r"ZQ\d{4}")


@dataclass
class Region:
    world: factories.World
    tokens: dict[str, tuple[type, int]] = field(default_factory=dict)  # token → (model, id)
    records: dict[type, list[int]] = field(default_factory=lambda: defaultdict(list))
    files: dict[str, tuple[type, int]] = field(default_factory=dict)  # stored file name → owner
    export_tokens: list[str] = field(default_factory=list)

    def mark(self, model: type, obj, text: str) -> str:
        token = f"ZQ{len(self.tokens) + 1:04d}"
        self.tokens[token] = (model, obj.id)
        return f"{text} {token}"


def _tokened(region: Region, obj, column: str, text: str, *also: str) -> None:
    """Give the record its token in ``column`` (after ``text``) and in the columns ``also`` (after their values):
    in the columns its lists and cards show."""
    db.session.flush()
    marked = region.mark(type(obj), obj, text)
    setattr(obj, column, marked)
    token = marked.split()[-1]
    for other in also:
        setattr(obj, other, f"{getattr(obj, other) or ''} {token}".strip())
    db.session.commit()
    region.records[type(obj)].append(obj.id)


def build_region(world: factories.World) -> Region:
    """One record of every kind in centre A and in centre B, each with its token; files on disk for the scans."""
    region = Region(world)
    upload = Path(current_app.config["UPLOAD_FOLDER"])
    today = regional_today()
    people = {
        world.centre_a: (world.users["director"], world.users["specialist"]),
        world.centre_b: (
            factories.user("director_b", roles.DIRECTOR, centre=world.centre_b),
            world.users["specialist_b"],
        ),
    }
    snils = iter(factories.VALID_SNILS)
    # centres and staff carry no token (a centre's name is told by design: "registered by <centre>"), but their ids
    # go into every centre and user field a form or a body has
    region.records[Centre] = [world.centre_a.id, world.centre_b.id]
    region.records[User] = [u.id for u in (*world.users.values(), people[world.centre_b][0])]
    for centre, (director, specialist) in people.items():
        tag = "A" if centre is world.centre_a else "B"
        unit = factories.add(Unit(centre=centre, name="Отделение"))
        _tokened(region, unit, "name", "Отделение")
        citizen = factories.citizen(centre, snils=next(snils))
        _tokened(region, citizen, "surname", "Маркеров")
        member = factories.add(HouseholdMember(citizen=citizen, relation="сын", full_name="x"))
        _tokened(region, member, "full_name", "Сын")
        consent = factories.consent(citizen, signed_on=today - timedelta(days=40))
        consent.file = f"{tag.lower()}0000_sep_consent-{tag}.pdf"
        (upload / consent.file).write_bytes(b"%PDF-1.4 consent scan " + tag.encode())
        region.files[consent.file] = (Consent, consent.id)
        _tokened(region, consent, "scope", "Согласие")  # its lists show the citizen and dates only
        appeal = factories.appeal(citizen, decision="pending", appeal_date=today - timedelta(days=40))
        _tokened(region, appeal, "reason", "Причина", "journal_number")
        for document in appeal.documents:
            document.file = f"{tag.lower()}{document.id:04d}_sep_{document.kind}-{tag}.pdf"
            (upload / document.file).write_bytes(b"%PDF-1.4 document " + tag.encode())
            region.files[document.file] = (AppealDocument, document.id)
            _tokened(region, document, "note", "Документ")
        programme = factories.programme(
            citizen, specialist=specialist, appeal=appeal, status="draft", start_date=today - timedelta(days=30)
        )
        _tokened(region, programme, "goals", "Цели", "number")
        partner = world.organisation if tag == "A" else factories.organisation(world.territory_b, name="Поликлиника Б")
        consent.organisations = [partner]
        measure = factories.measure(
            programme, status="done", done_on=today - timedelta(days=35), organisations=[partner]
        )
        _tokened(region, measure, "title", "Мероприятие")
        if tag == "A":  # the partner's organisation without the consent, and another organisation with it
            other = factories.organisation(world.territory_a, name="Центр занятости")
            consent.organisations = [partner, other]
            unconsented = factories.citizen(centre)
            _tokened(region, unconsented, "surname", "Несогласов")
            factories.consent(unconsented, signed_on=today - timedelta(days=40))  # processing in the centre only
            hidden_programme = factories.programme(unconsented, specialist=specialist, status="active")
            _tokened(region, hidden_programme, "goals", "Цели", "number")
            for owner in ([partner], [other]):
                target = programme if owner == [other] else hidden_programme
                hidden = factories.measure(target, due_date=today + timedelta(days=2), organisations=owner)
                _tokened(region, hidden, "title", "Мероприятие")
        tick = factories.add(
            ChecklistItem(
                programme=programme, stage=1, item="collect_information", done_on=today, done_by_id=specialist.id
            )
        )
        _tokened(region, tick, "note", "Отметка")
        event = factories.add(ControlEvent(programme=programme, kind="interim", held_on=today, decision="continue"))
        _tokened(region, event, "findings", "Выводы")
        committee = factories.committee(centre)
        _tokened(region, committee, "name", "Комиссия")
        seat = factories.add(CommitteeMember(committee=committee, full_name="x", role="chair"))
        _tokened(region, seat, "full_name", "Председатель")
        decision = factories.add(
            CommitteeDecision(
                committee=committee,
                programme=programme,
                meeting_date=today,
                protocol_number="1",
                decision="approve_measures",
            )
        )
        _tokened(region, decision, "reason", "Решение", "protocol_number")
        report = MonthlyReport(centre=centre, month=(today.replace(day=1) - timedelta(days=1)).replace(day=1))
        db.session.add(report)
        db.session.flush()
        from app.reporting import fill_report

        fill_report(report, today)
        db.session.commit()
        _tokened(region, report, "note", "Отчёт")
        # the programme is in the month's detail once active: the frozen snapshot then lists its citizen
        programme.status, programme.activated_on = "active", programme.start_date
        db.session.commit()
        submit_report(report, director, today)
        db.session.commit()
        reminder = factories.add(
            Reminder(
                recipient_id=specialist.id,
                kind="measure_due",
                subject_key=f"measure:{measure.id}",
                programme_id=programme.id,
                measure_id=measure.id,
                centre_id=centre.id,
                due_date=today,
            )
        )
        region.records[Reminder].append(reminder.id)
        if tag == "B":  # a consolidated export of centre B's specialist waiting for download
            from app.reporting import exports

            token = f"exportB{specialist.id}"
            exports._write_status(token, {"user_id": specialist.id, "status": "done", "name": "x.xlsx"})
            exports.file_of(token).write_bytes(b"PK export of B")
            region.export_tokens.append(token)
    return region


# --- who sees what -------------------------------------------------------------------------------------------------


def visible(user, model: type, pk: int) -> bool:
    """Would the user see this record through its own views: a role that may read the model, and the scope? A
    partner's page names the citizen of each measure the partner sees (and nothing else of the citizen)."""
    names = effective_role_names(user)
    if model is Citizen and roles.PARTNER in names:
        seen = restrict(
            select(Measure.id).join(Programme, Programme.id == Measure.programme_id).where(Programme.citizen_id == pk),
            Measure,
            scope_for(user),
        )
        return db.session.scalar(seen.limit(1)) is not None
    if not any(level(model, role) is not None for role in names) and policy_of(model) is not None:
        return False
    return db.session.scalar(restrict(select(model.id).where(model.id == pk), model, scope_for(user))) is not None


@dataclass
class Perspective:
    """What is foreign to one user: the tokens and the ids of each kind of record (worked out once)."""

    region: Region
    user: object
    tokens: dict[str, tuple[type, int]]
    ids: dict[type, list[int]]

    @classmethod
    def of(cls, region: Region, user) -> Perspective:
        tokens = {token: owner for token, owner in region.tokens.items() if not visible(user, *owner)}
        ids = {model: [pk for pk in pks if not visible(user, model, pk)] for model, pks in region.records.items()}
        return cls(region, user, tokens, ids)

    def foreign_ids(self, model: type | None) -> list[int]:
        return self.ids.get(model, []) if model is not None else []

    def own_ids(self, model: type | None) -> list[int]:
        return [pk for pk in self.region.records.get(model, []) if pk not in self.foreign_ids(model)]

    def may(self, model: type, permission: str) -> bool:
        """Does a role of the user hold this permission on the model's views (FAB's own views: the admin only)?"""
        names = effective_role_names(self.user)
        if policy_of(model) is None:
            return roles.ADMIN in names
        return any(allowed(model, role, permission) for role in names)


# --- the probes -----------------------------------------------------------------------------------------------------


def response_text(response) -> str:
    """What a response shows: HTML or JSON as text (JSON decoded, so that escapes do not hide a token), a
    workbook or document by the XML inside it."""
    data = response.get_data()
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        except zipfile.BadZipFile:
            return data.decode("utf-8", "replace")
    text = data.decode("utf-8", "replace")
    if response.mimetype == "application/json":
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


@dataclass
class Verdict:
    probes: Counter = field(default_factory=Counter)
    leaks: Counter = field(default_factory=Counter)
    found: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    own_seen: int = 0  # responses showing the user's own marked records: the tokens are there to be found

    def check(self, kind: str, label: str, response, foreign: dict) -> None:
        self.probes[kind] += 1
        if response.status_code >= 500:
            self.errors.append(f"{kind} {label}: {response.status_code}")
            return
        tokens = set(TOKEN.findall(response_text(response)))
        self.own_seen += bool(tokens - set(foreign))
        seen = tokens & set(foreign)
        if seen:
            self.leaks[kind] += 1
            names = ", ".join(f"{foreign[t][0].__name__} {foreign[t][1]}" for t in sorted(seen))
            self.found.append(f"{kind} {label} → {response.status_code}: {names}")


def _view_of(endpoint: str):
    name = endpoint.split(".")[0]
    for view in current_app.appbuilder.baseviews:
        if type(view).__name__ == name:
            return view
    return None


def model_of_view(view) -> type | None:
    """The model a view or API serves; a custom page, its permission's view's (the case page: programmes)."""
    datamodel = getattr(view, "datamodel", None)
    if datamodel is not None:
        return datamodel.obj
    permission = getattr(view, "class_permission_name", None)
    for other in current_app.appbuilder.baseviews:
        if type(other).__name__ == permission and getattr(other, "datamodel", None) is not None:
            return other.datamodel.obj
    return None


SKIPPED_ENDPOINTS = {"static", "appbuilder.static", "AuthDBView.login", "AuthDBView.logout", "LocaleView.index"}
PLAIN_ARGUMENTS = {
    "item": ["collect_information"],
    "mark": ["read", "done"],
    "version": ["v1"],
    "group_by": ["username"],
}


def _argument_values(region: Region, seen: Perspective, rule, model, own: bool = False) -> list[dict]:
    """Every combination worth trying for a rule's arguments, each id argument a foreign id (``own``: an id the user
    sees, whose page must not show what belongs to others)."""
    combos: list[dict] = [{}]
    for argument in rule.arguments:
        if argument == "pk":
            values = seen.own_ids(model) if own else seen.foreign_ids(model)
        elif argument == "filename":
            values = list(region.files)[-1:]  # one of the other centre's scans: each file route serves all or none
        elif argument == "name":
            values = list(LOOKUPS)
        elif argument == "token":
            values = list(region.export_tokens)
        else:
            values = PLAIN_ARGUMENTS.get(argument, ["1"])
        combos = [{**combo, argument: value} for combo in combos for value in values]
    return combos


def probe_routes(client, region: Region, seen: Perspective, verdict: Verdict, only=lambda endpoint: True) -> None:
    """Every URL rule (``only`` those whose endpoint it accepts), GET and the other methods it takes, with foreign
    ids in every id argument and in every field a form or a body may name a relation by."""
    foreign = seen.tokens
    relation_ids = {
        name: ids[0] for model, ids in seen.ids.items() if ids for name in _names_of(model)
    }  # a foreign id under each name a form or body calls a relation
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS or not only(rule.endpoint):
            continue
        view = _view_of(rule.endpoint)
        model = model_of_view(view) if view is not None else None
        if "pk" in rule.arguments and model is None:
            continue
        calls = [(values, rule.methods - {"HEAD", "OPTIONS"}) for values in _argument_values(region, seen, rule, model)]
        if "pk" in rule.arguments and "GET" in rule.methods:  # the user's own records' pages, read only
            calls += [(values, {"GET"}) for values in _argument_values(region, seen, rule, model, own=True)]
        for values, methods in calls:
            built = rule.build(values, append_unknown=False)
            if built is None:
                continue
            url = built[1]
            query = "q=Маркер" if rule.endpoint == "LookupView.search" else ""
            for method in sorted(methods):
                kwargs = {"method": method}
                if method in ("POST", "PUT"):
                    if rule.endpoint.endswith("Api.post") or rule.endpoint.endswith("Api.put"):
                        kwargs["json"] = relation_ids
                    else:
                        kwargs["data"] = {**relation_ids, "next": "/", "reason": "x", "note": "x"}
                response = client.open(f"{url}?{query}" if query else url, **kwargs)
                verdict.check("route", f"{method} {url}", response, foreign)


def _names_of(model: type) -> list[str]:
    """The names under which forms and API bodies refer to a model's records."""
    names = {inspect(model).local_table.name}
    for mapper in db.Model.registry.mappers:
        for rel in mapper.relationships:
            if rel.mapper.class_ is model and not rel.uselist:
                names.add(rel.key)
    return sorted(names)


def _form_fields(form_class) -> list[tuple[str, type, object]]:
    """The fields a form class declares (as WTForms finds them, before any form is made)."""
    return [
        (name, attr.field_class, attr)
        for name in dir(form_class)
        if not name.startswith("_") and isinstance(attr := getattr(form_class, name), UnboundField)
    ]


RELATION_FIELDS = (LookupField, QuerySelectField, QuerySelectMultipleField)


def _relation_model(view, name: str) -> type | None:
    try:
        return view.datamodel.get_related_model(name) if view.datamodel.is_relation(name) else None
    except Exception:
        return None


def _plain_value(record, name: str) -> str:
    value = getattr(record, name, None) if record is not None else None
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "y" if value else ""
    return str(value)


def _own_record(region: Region, seen: Perspective, model: type):
    for pk in region.records.get(model, []):
        if pk not in seen.foreign_ids(model):
            return db.session.get(model, pk)
    return None


def probe_forms(client, region: Region, seen: Perspective, verdict: Verdict) -> None:
    """Every add and edit form of every model view the user may use: a foreign id in every relation field, once
    with another field left empty (the form comes back with its errors) and once filled as the user's own record of
    that kind holds it."""
    foreign = seen.tokens
    for view in current_app.appbuilder.baseviews:
        if not isinstance(view, ModelView):
            continue
        route = view.route_base
        model = view.datamodel.obj
        for kind, form_class in (("add", view.add_form), ("edit", view.edit_form)):
            if not seen.may(model, f"can_{kind}"):
                continue
            record = _own_record(region, seen, model)
            if kind == "edit" and record is None:
                continue
            url = f"{route}/{kind}" + (f"/{record.id}" if kind == "edit" else "")
            verdict.check("form", f"GET {url}", client.get(url), foreign)
            fields = _form_fields(form_class)
            relations = {
                name: related
                for name, cls, _ in fields
                if issubclass(cls, RELATION_FIELDS) and (related := _relation_model(view, name)) is not None
            }
            for name, related in relations.items():
                ids = seen.foreign_ids(related)
                if not ids:
                    continue
                data = {n: _plain_value(record, n) for n, _, _ in fields if n not in relations}
                data.update({n: _plain_value(record, f"{n}_id") for n in relations})
                data[name] = str(ids[0])
                blank = next(
                    (n for n, cls, _ in fields if n not in relations and n not in ("csrf_token", "version")), None
                )
                if blank is not None:
                    verdict.check(
                        "form", f"POST {url} {name} (refused)", client.post(url, data={**data, blank: ""}), foreign
                    )
                verdict.check("form", f"POST {url} {name}", client.post(url, data=data), foreign)


def probe_searches(client, region: Region, seen: Perspective, verdict: Verdict) -> None:
    """Every list filtered by a foreign record in every relation it may be searched by."""
    foreign = seen.tokens
    for view in current_app.appbuilder.baseviews:
        if not isinstance(view, ModelView) or not seen.may(view.datamodel.obj, "can_list"):
            continue
        for index, column in enumerate(view.search_columns or []):
            related = _relation_model(view, column)
            for pk in seen.foreign_ids(related)[:1]:
                url = f"{view.route_base}/list/?_flt_0_{column}={pk}"
                verdict.check("search", f"GET {url} ({index})", client.get(url), foreign)


def probe_api(client, region: Region, seen: Perspective, verdict: Verdict, headers: dict) -> None:
    """Every operation of the OpenAPI description: foreign ids in the path, in every relation of the body, in
    every relation filter of a list."""
    foreign = seen.tokens
    spec = client.get("/api/v1/_openapi", headers=headers).get_json() or {}
    apis = {
        f"/api/v1/{api.resource_name}/": api
        for api in current_app.appbuilder.baseviews
        if isinstance(api, ModelRestApi)
    }
    for path, operations in (spec.get("paths") or {}).items():
        api = next((a for prefix, a in apis.items() if path.startswith(prefix)), None)
        model = api.datamodel.obj if api is not None else None
        pks = seen.foreign_ids(model) if "{pk}" in path else [None]
        if "{pk}" in path and not pks:
            continue
        relations = {}
        if api is not None:
            for name in {*(api.add_columns or []), *(api.edit_columns or [])}:
                ids = seen.foreign_ids(_relation_model(api, name))
                if ids:
                    many = api.datamodel.is_relation_many_to_many(name)
                    relations[name] = [ids[0]] if many else ids[0]
        for method in operations:
            if method.upper() not in ("GET", "POST", "PUT", "DELETE"):
                continue
            for pk in pks:
                url = path.replace("{pk}", str(pk)).replace("{item}", "collect_information")
                if "{" in url:
                    continue
                body = {**relations, "item": "collect_information"} if method in ("post", "put") else None
                response = client.open(url, method=method.upper(), headers=headers, json=body)
                verdict.check("api", f"{method.upper()} {url}", response, foreign)
        if api is not None and path.endswith("/") and "get" in operations:
            for name in api.search_columns or []:
                for pk in seen.foreign_ids(_relation_model(api, name))[:1]:
                    q = f"(filters:!((col:{name},opr:rel_o_m,value:{pk})))"
                    response = client.get(f"{path}?q={q}", headers=headers)
                    verdict.check("api", f"GET {path} filter {name}", response, foreign)


def probe_lookups(client, region: Region, seen: Perspective, verdict: Verdict) -> None:
    """Every search-as-you-type list, searched by the beginning of the marked records' names and numbers."""
    for name in LOOKUPS:
        for term in ("Маркер", "", "П-", "№"):
            response = client.get(f"/lookup/{name}", query_string={"q": term})
            verdict.check("lookup", f"{name} {term!r}", response, seen.tokens)


# --- foreign data ---------------------------------------------------------------------------------------------------

MARKED = (
    Citizen,
    HouseholdMember,
    Consent,
    AppealDocument,
    Programme,
    Measure,
    ChecklistItem,
    ControlEvent,
    Committee,
    CommitteeMember,
    CommitteeDecision,
    MonthlyReport,
    Unit,
    Reminder,
)


def snapshot() -> dict:
    """Every row of every declared table, column by column (the audit log and the accounts' bookkeeping apart)."""
    rows = {}
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        policy = policy_of(model)
        if policy is None or model.__tablename__ in ("audit_entry", "account_state", "access_grant", "reminder"):
            continue
        columns = [c for c in mapper.columns if c.key != "version"]
        for row in db.session.execute(select(*columns)):
            rows[(model, row[0])] = tuple(row)
    return rows


def changes_of_foreign_data(before: dict, after: dict, seen: Perspective) -> list[str]:
    """Rows foreign to the user that changed, vanished or appeared; own rows that now point at foreign rows."""
    problems = []
    for key in before.keys() | after.keys():
        model, pk = key
        if before.get(key) == after.get(key):
            continue
        user = seen.user
        if key in before and key not in after:
            if not visible(user, model, pk):
                problems.append(f"{model.__name__} {pk} deleted")
            continue
        if not visible(user, model, pk):
            problems.append(f"{model.__name__} {pk} {'changed' if key in before else 'created'}")
            continue
        record = db.session.get(model, pk)
        for rel in inspect(model).relationships:
            if rel.uselist or rel.mapper.class_ not in MARKED:
                continue
            target = getattr(record, rel.key)
            if target is not None and not visible(user, type(target), target.id):
                problems.append(f"{model.__name__} {pk} now points at {type(target).__name__} {target.id}")
    return problems
