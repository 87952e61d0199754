"""How a reminder reads (the "My reminders" page and the e-mail digest) and the daily digest itself.

The digest is optional: with ``MAIL_SERVER`` set, each person with new open reminders gets one message a day listing
them; a reminder is mailed once (``notified_at``), and a person already mailed today is not mailed again.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain import rules
from app.domain.choices import ReminderKind
from app.extensions import db
from app.models import Measure, Programme, Reminder
from app.models.base import utcnow
from app.platform.labels import choice_label
from app.platform.mail import mail_configured, send_mail
from app.security.scope import Scope, restrict, scope_for


def describe(reminder: Reminder) -> str:
    """ "interim assessment due: programme № 5/2026, Иванова А. П." — what, about whom."""
    what = choice_label(ReminderKind, reminder.kind)
    if reminder.measure is not None and reminder.programme is None:  # a partner's: nothing of the programme
        subject = _("measure «%(title)s»", title=reminder.measure.title)
    elif reminder.measure is not None:
        number = reminder.programme.number if reminder.programme is not None else ""
        subject = _("measure «%(title)s» of programme %(number)s", title=reminder.measure.title, number=number)
    elif reminder.programme is not None:
        subject = _(
            "programme %(number)s, %(citizen)s",
            number=reminder.programme.number,
            citizen=reminder.programme.citizen.short_name,
        )
    elif reminder.centre is not None:
        subject = _("report of %(centre)s", centre=reminder.centre.short_name or reminder.centre.name)
    else:
        subject = ""
    return f"{what}: {subject}" if subject else str(what)


def with_subjects(query):
    """Load what ``describe`` reads in the same statement."""
    return query.options(
        joinedload(Reminder.programme).joinedload(Programme.citizen),
        joinedload(Reminder.measure).load_only(Measure.title),
        joinedload(Reminder.centre),
    )


def open_for(scope: Scope, limit: int) -> list[Reminder]:
    """A person's open reminders as the person's scope sees them (a partner's, only of the measures it still sees),
    earliest due first, ready for ``describe``."""
    query = select(Reminder).where(Reminder.closed_at.is_(None)).order_by(Reminder.due_date, Reminder.id).limit(limit)
    return list(db.session.scalars(with_subjects(restrict(query, Reminder, scope))))


def send_all(today: date) -> int:
    """Mail each person the open reminders not mailed yet; returns the number of messages sent."""
    app = current_app
    if not mail_configured(app):
        return 0
    pending = db.session.scalars(
        with_subjects(
            select(Reminder)
            .where(Reminder.closed_at.is_(None), Reminder.notified_at.is_(None))
            .options(joinedload(Reminder.recipient))
            .order_by(Reminder.recipient_id, Reminder.due_date)
        )
    ).all()
    mailed_today = {
        recipient
        for recipient, notified in db.session.execute(
            select(Reminder.recipient_id, Reminder.notified_at).where(Reminder.notified_at.is_not(None))
        )
        if rules.local_today(notified) == today
    }
    by_person: dict[int, list[Reminder]] = {}
    for reminder in pending:
        if reminder.recipient_id not in mailed_today and reminder.recipient and reminder.recipient.email:
            by_person.setdefault(reminder.recipient_id, []).append(reminder)
    sent = 0
    for items in by_person.values():
        person = items[0].recipient
        scope = scope_for(person)
        if scope.partner:  # only what the partner still sees: a consent may have been narrowed since the scan
            ids = select(Reminder.id).where(Reminder.id.in_([r.id for r in items]))
            seen = set(db.session.scalars(restrict(ids, Reminder, scope)))
            items = [r for r in items if r.id in seen]
            if not items:
                continue
        lines = [f"— {describe(r)}, {_('due')} {r.due_date:%d.%m.%Y}" for r in items]
        greeting = _("Good day, %(name)s!", name=person.first_name)
        body = "\n".join([greeting, "", _("Your reminders:"), *lines, "", app.config.get("CONSOLE_URL") or ""])
        subject = ngettext("Reminders: %(num)d new", "Reminders: %(num)d new", len(items))
        send_mail(app, person.email, subject, body)
        now = utcnow()
        for reminder in items:
            reminder.notified_at = now
        db.session.commit()
        sent += 1
    return sent
