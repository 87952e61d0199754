"""The steps of a save, in one place.

A write through a generated form or the REST API passes these steps, in this order (``save`` / ``delete``):

0. **freshness** — the ``version`` the user read is still the stored one (``check_version``; run by the form's
   validator and the API's PUT before the sent values touch the record);
1. **scope** — every id sent names an existing record, and the record and every record it points to lie inside the
   user's centres (``app.security.scope``);
2. **defaults** — values the user may leave out are filled in (a specialist's new programme becomes his or her own);
3. **fields** — field rules normalise or refuse single values: SNILS, phones, dates not in the future, dates in
   order (``app.fab.fields``; the HTML forms also run them as validators, to show the error by the field);
4. **responsibility** — within a centre a specialist changes only own programmes and what hangs on them;
5. **rules** — each feature's rules for its records: a programme's status moves only by the case actions, a closed
   case is frozen, an extension decision extends the programme, a SNILS is registered once in the region…

A delete passes scope, responsibility and the features' delete rules (case history is never deleted).

Then, for every write whatever made it (forms, API, case actions, jobs, the demo), at the session's flush and commit:

6. **accounts** (before a flush) — a change of a user, role or group that would open case data asks for a
   grant a second person confirms, one that takes access away ends the account's sessions and tokens
   (``app.security.accounts``); what a deleted record takes with it is deleted through the session, so it is audited;
   **derived** (as a record is written) — fields that follow from others (a measure carries its programme's
   centre);
7. **audit** (after a flush) — an entry per created, changed or deleted record (``app.platform.audit``) and per
   changed user, role, group and permission (``app.security.accounts``), and the features' notes of what changed;
8. **at commit** — what follows from the committed facts (what is due next on a programme).

Features register their steps in their ``init_app`` with ``on_save``, ``on_delete``, ``derived``,
``after_flush``, ``at_commit`` and ``after_rollback``; a step's name says what it does, and a ``check_…`` step
never changes anything.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.extensions import db
from app.fab.fields import clean_item
from app.platform import audit
from app.security import accounts
from app.security.scope import check_responsible, check_write_scope, programme_of

SAVE_STAGES = ("scope", "defaults", "fields", "responsibility", "rules")
DELETE_STAGES = ("scope", "responsibility", "rules")

Step = Callable[[object], None]
SessionStep = Callable[[Session], None]

_save_steps: dict[str, list[tuple[type, Step]]] = {stage: [] for stage in SAVE_STAGES}
_delete_steps: dict[str, list[tuple[type, Step]]] = {stage: [] for stage in DELETE_STAGES}
_derived: set = set()
_session_steps: dict[str, list[SessionStep]] = {
    "after_flush": [],
    "at_commit": [],
    "after_rollback": [],
}


def _add(steps: list, entry) -> None:
    if entry not in steps:  # each app registers its features again (tests build several apps)
        steps.append(entry)


def on_save(model: type, stage: str = "rules") -> Callable[[Step], Step]:
    """Register a step run for every save of a ``model`` record (a subclass too) at ``stage``."""

    def register(step: Step) -> Step:
        _add(_save_steps[stage], (model, step))
        return step

    return register


def on_delete(model: type, stage: str = "rules") -> Callable[[Step], Step]:
    def register(step: Step) -> Step:
        _add(_delete_steps[stage], (model, step))
        return step

    return register


def derived(model: type) -> Callable:
    """Register ``step(connection, record)``, run as each ``model`` record is inserted or updated (within the flush,
    after the records it refers to are written, so their keys are known)."""

    def register(step):
        if (model, step) not in _derived:  # mapper events are global: listen once per process
            event.listen(model, "before_insert", lambda mapper, connection, target: step(connection, target))
            event.listen(model, "before_update", lambda mapper, connection, target: step(connection, target))
            _derived.add((model, step))
        return step

    return register


def after_flush(step: SessionStep) -> SessionStep:
    _add(_session_steps["after_flush"], step)
    return step


def at_commit(step: SessionStep) -> SessionStep:
    _add(_session_steps["at_commit"], step)
    return step


def after_rollback(step: SessionStep) -> SessionStep:
    _add(_session_steps["after_rollback"], step)
    return step


# --- the steps every record passes ----------------------------------------------------------------------------------


def check_related_exist(item) -> None:
    """Refuse a foreign id that matches no row.

    marshmallow-sqlalchemy's ``Related`` field turns an unknown id into a *new* related object, which the
    commit then tries to insert (an IntegrityError, or a stray row). Such an object has no identity; it is
    reported as out of reach, like an id of another centre.
    """
    for rel in inspect(type(item)).relationships:
        if rel.key not in inspect(item).dict:
            continue  # not sent: nothing to check, and no lazy load
        value = getattr(item, rel.key)
        targets = value if rel.uselist else [value]
        if any(target is not None and not inspect(target).has_identity for target in targets):
            raise RuleViolation("wrong_centre", rel.key)


def check_responsible_for_programme(item) -> None:
    check_responsible(programme_of(item))


on_save(object, "scope")(check_related_exist)
on_save(object, "scope")(check_write_scope)
on_save(object, "fields")(clean_item)
on_save(object, "responsibility")(check_responsible_for_programme)
on_delete(object, "responsibility")(check_responsible_for_programme)


def save(item) -> None:
    """Run the save steps on a record about to be added or updated; raise ``RuleViolation``.

    Without autoflush: the steps compare the sent values with the stored ones, which a flush would overwrite.
    """
    with db.session.no_autoflush:
        for stage in SAVE_STAGES:
            for model, step in _save_steps[stage]:
                if isinstance(item, model):
                    step(item)


def delete(item) -> None:
    """Run the delete steps on a record about to be deleted; raise ``RuleViolation``."""
    with db.session.no_autoflush:
        for stage in DELETE_STAGES:
            for model, step in _delete_steps[stage]:
                if isinstance(item, model):
                    step(item)


def check_version(model: type, pk, sent) -> None:
    """Optimistic locking: the ``version`` a form or API client read must still be the stored one.

    Checked before the sent values touch the ORM object: populating a form may autoflush.
    ``sent=None`` (an API client that did not send it) means "last write wins".
    """
    if sent is None or sent == "" or "version" not in inspect(model).columns:
        return
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return  # no such record: the view answers 404
    stored = db.session.scalar(select(model.version).where(model.id == pk))
    try:
        outdated = stored is not None and int(sent) != stored
    except (TypeError, ValueError, OverflowError):
        outdated = True
    if outdated:
        raise RuleViolation("stale_version", "version")


# --- the session's steps --------------------------------------------------------------------------------------------


def _before_flush(session: Session, flush_context, instances) -> None:
    audit.refuse_edits_of_the_log(session)
    accounts.follow_changes(session)
    audit.delete_dependents_visibly(session)


def _after_flush(session: Session, flush_context) -> None:
    audit.record_changes(session)
    accounts.audit_changes(session)
    for step in _session_steps["after_flush"]:
        step(session)


def _before_commit(session: Session) -> None:
    for step in _session_steps["at_commit"]:
        step(session)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    for step in _session_steps["after_rollback"]:
        step(session)


def install(app) -> None:
    """Attach the session's steps to the app's scoped session (once)."""
    with app.app_context():
        if not event.contains(db.session, "after_flush", _after_flush):
            event.listen(db.session, "before_flush", _before_flush)
            event.listen(db.session, "after_flush", _after_flush)
            event.listen(db.session, "before_commit", _before_commit)
            event.listen(db.session, "after_soft_rollback", _after_soft_rollback)
