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


def appeal_documents(appeal_id: int | str | None) -> list[AppealDocument]:
    """The documents of an appeal the user may read, oldest first (one statement; none for no appeal). The id may come
    from a page's address as text."""
    try:
        appeal_id = int(appeal_id)
    except (TypeError, ValueError):
        return []
    query = (
        select(AppealDocument)
        .where(AppealDocument.appeal_id == appeal_id)
        .order_by(AppealDocument.document_date, AppealDocument.id)
    )
    return list(db.session.scalars(restrict(query, AppealDocument)))


def document_pack(appeal_id: int | str | None = None, documents: list[AppealDocument] | None = None) -> list[PackEntry]:
    """The three documents of the pack in the order of S2, each with the latest document of its kind the user may
    read; ``documents`` when the page has read them already (``appeal_documents``)."""
    if documents is None:
        documents = appeal_documents(appeal_id)
    latest = {document.kind: document for document in documents}
    return [PackEntry(kind.value, choice_label(DocumentKind, kind), latest.get(kind)) for kind in DocumentKind]
