"""The append-only audit log (152-ФЗ): who read or changed which personal data, when, from where.

Changes are captured for every declared model (``__policy__.audited``) in one place, the session's
``after_flush`` hook (a step of ``app.fab.pipeline``), written with the flush's own connection so they commit or roll
back with the change itself.

Reads: every record of a citizen's case (``__policy__.case_data``) that a request reads one by one — a card, an edit
form, the case page, its timeline and checklist, an API ``GET``, a document's download — is noted
(``note_read``: the data interface and ``get_or_404`` do it for every view) and written once per request after the
response, one entry per record. Searches that can find a person by an identifier (the columns a model names in
``__policy__.identifiers``: SNILS) and the search-as-you-type lists of case data are noted with their term and what
they found (``note_search``). Logins, failed logins and sign-outs are written by the security manager, exports by the
code that exports. Nothing updates or deletes an entry: the ORM refuses it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, g, has_request_context, request
from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from app.domain.choices import AuditAction
from app.extensions import db
from app.models import AuditEntry, Centre
from app.models.policy import policy_of
from app.platform.identity import current_account, is_signed_in


def reads_are_audited(model: type) -> bool:
    policy = policy_of(model)
    return policy is not None and policy.case_data


def note_read(obj) -> None:
    """This request read ``obj`` (a record of a citizen's case): written once, after the response."""
    if obj is None or not has_request_context() or not reads_are_audited(type(obj)):
        return
    reads = g.setdefault("audit_reads", {})
    key = (type(obj).__tablename__, obj.id)
    if key not in reads:
        reads[key] = centre_of(obj)  # now: the record may be deleted by the time the entry is written


def note_read_of(model: type, pk: int, centre_id: int | None) -> None:
    """``note_read`` for a row read without loading its record (a partner's list of measures, each row a read)."""
    if not has_request_context() or not reads_are_audited(model):
        return
    g.setdefault("audit_reads", {}).setdefault((model.__tablename__, pk), centre_id)


def note_search(model: type, field: str, term: str, found: list[int]) -> None:
    """This request searched ``model`` by ``field`` for ``term`` and found ``found`` (ids): written after the
    response, once per field and term."""
    if not has_request_context() or not term:
        return
    searches = g.setdefault("audit_searches", {})
    key = (model.__tablename__, field, term)
    searches[key] = sorted({*searches.get(key, ()), *found})


def identifiers_of(model: type) -> tuple[str, ...]:
    policy = policy_of(model)
    return tuple(policy.identifiers) if policy is not None else ()


def is_audited(obj) -> bool:
    policy = policy_of(type(obj))
    return policy is not None and policy.audited


_SKIP_FIELDS = {"version", "search"}  # the search key repeats the fields it is made of


class AuditLogIsAppendOnly(RuntimeError):
    pass


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _who() -> dict:
    if not has_request_context():
        return {"user_id": None, "username": "system", "remote_addr": None}
    user = current_account()
    authenticated = is_signed_in(user)
    return {
        "user_id": user.id if authenticated else None,
        "username": user.username if authenticated else None,
        "remote_addr": request.remote_addr,
    }


def centre_of(obj) -> int | None:
    """The centre a record belongs to, following its parent where it has no centre of its own."""
    if isinstance(obj, Centre):
        return obj.id
    for attr in ("centre_id",):
        if getattr(obj, attr, None) is not None:
            return getattr(obj, attr)
    for parent in ("programme", "citizen", "appeal", "committee"):
        related = getattr(obj, parent, None)
        if related is not None:
            return centre_of(related)
    return None


def changes_of(obj, skip: set[str] = frozenset(), masked: set[str] = frozenset()) -> dict:
    """``{field: [before, after]}`` of a record in a flush: its columns (a masked one as ``"changed"``, never its
    value) and its many-to-many lists (the names of the related records before and after)."""
    state = inspect(obj)
    result = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_FIELDS or attr.key in skip:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                result[attr.key] = ["…", "changed"] if attr.key in masked else [_jsonable(old), _jsonable(new)]
    for rel in state.mapper.relationships:
        if rel.secondary is None or rel.key in skip or rel.key not in state.attrs:
            continue
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            kept = [str(o) for o in history.unchanged or ()]
            before = sorted([*kept, *(str(o) for o in history.deleted)])
            after = sorted([*kept, *(str(o) for o in history.added)])
            if before != after:
                result[rel.key] = [before, after]
    return result


def entry(action: str, obj, changes: dict | None = None, **who) -> dict:
    """An audit row of ``action`` on ``obj`` by the request's user (or ``who``)."""
    who = who or _who()
    return {
        **who,
        "at": datetime.now().astimezone(),
        "action": action,
        "object_type": type(obj).__tablename__,
        "object_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
        # a deleted centre cannot be referred to by its own entry
        "centre_id": None if action == AuditAction.DELETE and isinstance(obj, Centre) else centre_of(obj),
        "changes": changes or None,
    }


def refuse_edits_of_the_log(session: Session) -> None:
    """Before a flush: nothing updates or deletes an audit entry."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


def delete_dependents_visibly(session: Session) -> None:
    """Before a flush: the records a deleted one takes with it (an appeal's documents, a citizen's consents) are
    deleted through the session rather than quietly by the database's ``ON DELETE CASCADE``, so that each gets its
    own entry in the log. Nothing is deleted silently."""
    seen: set[int] = set()
    pending = [obj for obj in session.deleted if is_audited(obj)]
    while pending:
        obj = pending.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for rel in inspect(type(obj)).relationships:
            if not (rel.uselist and rel.cascade.delete and rel.passive_deletes):
                continue
            for child in list(getattr(obj, rel.key)):
                if is_audited(child) and child not in session.deleted:
                    session.delete(child)
                    pending.append(child)


def record_changes(session: Session) -> None:
    """After a flush: an entry per created, changed or deleted record, written with the flush's own connection."""
    who = _who()
    rows = []
    for obj in session.new:
        if is_audited(obj):
            rows.append(entry(AuditAction.CREATE, obj, changes_of(obj), **who))
    for obj in session.dirty:
        if is_audited(obj) and session.is_modified(obj):
            changes = changes_of(obj)
            if changes:
                rows.append(entry(AuditAction.UPDATE, obj, changes, **who))
    for obj in session.deleted:
        if is_audited(obj):
            rows.append(entry(AuditAction.DELETE, obj, **who))
    insert_entries(session, rows)


def insert_entries(session: Session, rows: list[dict]) -> None:
    """Write entries with the flush's own connection: they commit or roll back with the change."""
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def record(
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    centre_id: int | None = None,
    changes: dict | None = None,
    username: str | None = None,
    commit: bool = True,
) -> None:
    """Write one entry now (reads, exports, logins) and commit it (``commit=False``: with the caller's change)."""
    who = _who()
    if username is not None:
        who["username"] = username
    values = {
        **who,
        "at": datetime.now().astimezone(),
        "action": action,
        "object_type": object_type or (type(obj).__tablename__ if obj is not None else None),
        "object_id": object_id if object_id is not None else getattr(obj, "id", None),
        "centre_id": centre_id if centre_id is not None else (centre_of(obj) if obj is not None else None),
        "changes": changes,
    }
    db.session.execute(insert(AuditEntry.__table__), [values])
    if commit:
        db.session.commit()


def _write_reads(response) -> None:
    reads = g.pop("audit_reads", None) or {}
    searches = g.pop("audit_searches", None) or {}
    if not (reads or searches) or response.status_code in (401, 403, 404) or response.status_code >= 500:
        return
    who = _who()
    now = datetime.now().astimezone()
    rows = [
        {
            **who,
            "at": now,
            "action": AuditAction.VIEW,
            "object_type": table,
            "object_id": pk,
            "centre_id": centre_id,
            "changes": None,
        }
        for (table, pk), centre_id in reads.items()
    ]
    rows += [
        {
            **who,
            "at": now,
            "action": AuditAction.SEARCH,
            "object_type": table,
            "object_id": None,
            "centre_id": None,
            "changes": {"field": field, "term": term, "found": found},
        }
        for (table, field, term), found in searches.items()
    ]
    # whatever the view left uncommitted (a change a rule refused) is discarded, as at the end of every request:
    # the log's commit must not save it
    db.session.rollback()
    db.session.execute(insert(AuditEntry.__table__), rows)
    db.session.commit()


def init_app(app: Flask) -> None:
    @app.after_request
    def audit_reads_of_personal_data(response):
        _write_reads(response)
        return response
