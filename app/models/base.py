"""Shared column helpers and the declarative base (FAB's, so that its security tables share the metadata)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Optional

from flask import has_request_context
from sqlalchemy import DateTime, Integer, String, inspect
from sqlalchemy.orm import Mapped, mapped_column

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


class AttachedFile:
    """A scan attached to a record (a consent, a document of the pack): stored under a random name outside the static
    folders (``file``, see ``app.platform.files``), shown and downloaded by the original name, with the type found
    in its content and its size. ``scan`` is the record itself when a file is attached (the cards' file column)."""

    file: Mapped[Optional[str]] = mapped_column(String(300))
    file_name: Mapped[Optional[str]] = mapped_column(String(255))
    file_type: Mapped[Optional[str]] = mapped_column(String(100))
    file_size: Mapped[Optional[int]] = mapped_column(Integer)

    @property
    def scan(self):
        return self if self.file else None
