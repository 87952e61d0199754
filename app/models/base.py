"""Shared column helpers and the declarative base (FAB's, so that its security tables share the metadata)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import has_request_context
from sqlalchemy import DateTime, String, inspect

from app.extensions import db

Base = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


def in_words(message, russian: str) -> str:
    """A record's name with words in it (a lazy message), in the user's language; Russian where no request chose
    one (a command, a job)."""
    return str(message) if has_request_context() else russian


def code(length: int = 32) -> String:
    """A short code column type for values of ``app.domain.choices``."""
    return String(length)


TIMESTAMP = DateTime(timezone=True)


def stored_value(obj, key: str):
    """The value of ``key`` as loaded from the database, before this request changed it (``None`` for a new
    record): a save compares what was sent with what was stored."""
    state = inspect(obj)
    if state.transient or state.pending:
        return None
    history = state.attrs[key].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else None
