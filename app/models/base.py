"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String

from app.extensions import db

Base = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


def code(length: int = 32) -> String:
    """A short code column type for values of ``app.domain.choices``."""
    return String(length)


TIMESTAMP = DateTime(timezone=True)
