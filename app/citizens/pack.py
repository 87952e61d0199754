"""The document pack of an appeal (S2): the citizen's application, the act of assessment of individual need and the
act of examination of living conditions. The appeal's card and the case page show which are there, with links."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.choices import DocumentKind
from app.extensions import db
from app.models import AppealDocument
from app.platform.labels import choice_label
from app.security.scope import restrict


@dataclass(frozen=True)
class PackEntry:
    kind: str
    label: str
    document: AppealDocument | None  # the latest document of the kind, if any


def document_pack(appeal_id: int | None) -> list[PackEntry]:
    """The three documents of the pack in the order of S2, each with the latest document of its kind the user may
    read (one statement); an appeal of another centre has none."""
    latest: dict[str, AppealDocument] = {}
    if appeal_id is not None:
        query = (
            select(AppealDocument)
            .where(AppealDocument.appeal_id == appeal_id)
            .order_by(AppealDocument.document_date, AppealDocument.id)
        )
        for document in db.session.scalars(restrict(query, AppealDocument)):
            latest[document.kind] = document
    return [PackEntry(kind.value, choice_label(DocumentKind, kind), latest.get(kind)) for kind in DocumentKind]
