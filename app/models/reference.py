"""Admin-editable reference lists (DOMAIN.md §2: categories, circumstances of need)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.policy import REFERENCE_ACCESS, Policy


class Category(Base):
    """Category of recipients (пожилые, инвалиды, …)."""

    __tablename__ = "category"
    __policy__ = Policy(REFERENCE_ACCESS)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name


class Circumstance(Base):
    """Circumstance of need (442-ФЗ art. 15)."""

    __tablename__ = "circumstance"
    __policy__ = Policy(REFERENCE_ACCESS)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name
