"""Scans attached to records (a consent, a document of the pack): checked by their content, stored under random names
outside every static folder, sent only through the owning record's page.

* **Accepted**: PDF, JPEG, PNG, TIFF, DOC, DOCX and ODT, recognised by their first bytes (``filetype``) and, for the
  zipped formats, by the archive's own table of contents; never by the name a user gave the file. An empty file, a
  file over ``UPLOAD_MAX_BYTES`` and anything else are refused with a rule (``RuleViolation``), so that a form says
  why by the field and keeps the rest of what was typed.
* **Stored** as ``UPLOAD_FOLDER/ab/ab12…`` (32 random hex digits, readable by the console's user only): a stored
  name says nothing about the citizen and cannot be guessed. The record keeps the original name, the type found in
  the content and the size (``app.models.base.AttachedFile``).
* **Sent** as an attachment with the original name (RFC 5987 ``filename*``, an ASCII fallback beside it),
  ``Cache-Control: no-store``, the type found when it was stored.

Where a name's extension does not belong to the type found, the type's extension is added to the name, so that the
downloaded file opens in the right program (a JPEG called «скан.pdf» comes back as «скан.pdf.jpg»).
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import filetype
from flask import Response, current_app, g, send_file

from app.domain.errors import RuleViolation


@dataclass(frozen=True)
class Kind:
    label: str  # as the card shows it
    mime: str
    extensions: tuple[str, ...]  # the first is added to a name that has none of them


KINDS: tuple[Kind, ...] = (
    Kind("PDF", "application/pdf", ("pdf",)),
    Kind("JPEG", "image/jpeg", ("jpg", "jpeg")),
    Kind("PNG", "image/png", ("png",)),
    Kind("TIFF", "image/tiff", ("tif", "tiff")),
    Kind("DOC", "application/msword", ("doc",)),
    Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    Kind("ODT", "application/vnd.oasis.opendocument.text", ("odt",)),
)
BY_MIME = {kind.mime: kind for kind in KINDS}
ACCEPT = ",".join(f".{ext}" for kind in KINDS for ext in kind.extensions)  # the file input's hint to the browser
_DOCX, _ODT = BY_MIME[KINDS[5].mime], BY_MIME[KINDS[6].mime]
_ZIP_MAGIC = b"PK\x03\x04"
_HEAD = 8192  # what filetype reads
_TOKEN = re.compile(r"[0-9a-f]{32}")
_LEGACY = re.compile(r"[0-9a-f-]{36}_sep_[^/\\]+")  # Flask-AppBuilder's uuid_namegen, before this module
_PENDING = "console_new_files"


@dataclass(frozen=True)
class StoredFile:
    token: str  # the random name under UPLOAD_FOLDER
    name: str  # the original name, as it is shown and downloaded
    kind: Kind
    size: int


# --- what a file is -------------------------------------------------------------------------------------------------


def sniff(stream: BinaryIO) -> Kind | None:
    """The accepted kind the content is, or ``None``; the stream is left at its start."""
    stream.seek(0)
    head = stream.read(_HEAD)
    stream.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return _zipped_kind(stream)
    guess = filetype.guess(head)
    return BY_MIME.get(guess.mime) if guess is not None else None


def _zipped_kind(stream: BinaryIO) -> Kind | None:
    """DOCX and ODT are ZIP archives: the archive's table of contents says which (whatever order its entries are
    in); any other archive is refused."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return _DOCX
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as entry:
                    if entry.read(100).strip() == _ODT.mime.encode():
                        return _ODT
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    finally:
        stream.seek(0)
    return None


def size_of(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def limit() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def megabytes(size: int) -> str:
    """«20», «1,5» or «0,06»: a size in megabytes as a Russian reader writes it."""
    value = round(size / (1024 * 1024), 2 if size < 1024 * 1024 else 1)
    return f"{value:g}".replace(".", ",")


def check_upload(upload) -> Kind:
    """The kind of an uploaded file (a ``FileStorage``), or a ``RuleViolation`` saying why it is refused."""
    size = size_of(upload.stream)
    if size == 0:
        raise RuleViolation("file_empty", "file")
    if size > limit():
        raise RuleViolation("file_too_large", "file", limit=megabytes(limit()), size=megabytes(size))
    kind = sniff(upload.stream)
    if kind is None:
        raise RuleViolation("file_type_refused", "file")
    return kind


def clean_name(name: str | None, kind: Kind) -> str:
    """The name a user gave the file, without folders or control characters, at most 255 characters, ending with an
    extension of its kind."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .") or "file"
    stem, _, ext = name.rpartition(".")
    if not stem or ext.lower() not in kind.extensions:
        name = f"{name}.{kind.extensions[0]}"
    if len(name) > 255:
        stem, _, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}"
    return name


# --- where files live -----------------------------------------------------------------------------------------------


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def path_of(token: str | None) -> Path | None:
    """The file of a stored name, or ``None`` for a name that is not one of ours (nothing outside the folder)."""
    if not token:
        return None
    if _TOKEN.fullmatch(token):
        return folder() / token[:2] / token
    if _LEGACY.fullmatch(token):
        return folder() / token
    return None


def store(upload) -> StoredFile:
    """Check an uploaded file and keep it under a new random name; refused files are never written."""
    kind = check_upload(upload)
    token = secrets.token_hex(16)
    path = folder() / token[:2] / token
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    upload.stream.seek(0)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := upload.stream.read(1024 * 1024):
            out.write(chunk)
    g.setdefault(_PENDING, []).append(token)
    return StoredFile(token, clean_name(upload.filename, kind), kind, path.stat().st_size)


def kept(token: str | None) -> None:
    """The record holding a newly stored file is committed: the file stays."""
    pending = g.get(_PENDING)
    if token and pending and token in pending:
        pending.remove(token)


def discard(token: str | None) -> None:
    """Remove a stored file (a replaced or deleted scan, a refused save); a missing file is no error."""
    path = path_of(token)
    if path is not None:
        path.unlink(missing_ok=True)


def discard_uncommitted(exception=None) -> None:
    """After a request: files stored for a save that did not commit are removed."""
    for token in g.pop(_PENDING, []):
        discard(token)


# --- sending --------------------------------------------------------------------------------------------------------


# Russian letters in Latin as Russian passports write them (ICAO Doc 9303), for the ASCII name old clients read:
# «Программа ПСС-2-2026.docx» is «Programma_PSS-2-2026.docx» there, not «-2-2026.docx»
_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN_LETTERS = ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
                  "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia")  # fmt: skip
_LATIN = str.maketrans(
    {
        **dict(zip(_RUSSIAN, _LATIN_LETTERS, strict=True)),
        **{r.upper(): latin.capitalize() for r, latin in zip(_RUSSIAN, _LATIN_LETTERS, strict=True)},
    }
)


def content_disposition(name: str) -> str:
    """``attachment`` with the UTF-8 name (RFC 5987 / RFC 6266) and an ASCII fallback for old clients."""

    def ascii_part(text: str) -> str:
        text = text.translate(_LATIN)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")

    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    fallback = (ascii_part(stem) or "file") + (f".{ascii_part(ext)}" if ascii_part(ext) else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send(token: str | None, name: str | None, mime: str | None) -> Response | None:
    """The stored file as a download, or ``None`` when there is none."""
    path = path_of(token)
    if path is None or not path.is_file():
        return None
    response = send_file(path, mimetype=mime or "application/octet-stream", conditional=False, etag=False)
    response.headers["Content-Disposition"] = content_disposition(name or path.name)
    response.headers["Cache-Control"] = "no-store"
    return response


def too_large(error):
    """A request over ``MAX_CONTENT_LENGTH`` (a file far over the limit) is cut off by Werkzeug before any form can
    read it: say so in the user's language and lead back to the form (the browser keeps what was typed)."""
    from flask import render_template, request
    from flask_babel import get_locale
    from flask_babel import gettext as _

    message = _(
        "The file is larger than %(limit)s MB: scan it with a lower resolution or in black and white, or split it.",
        limit=megabytes(limit()),
    )
    referrer = request.referrer if (request.referrer or "").startswith(request.host_url) else None
    page = render_template("errors/too_large.html", message=message, back=referrer, lang=str(get_locale() or "ru"))
    return page, 413


def init_app(app) -> None:
    app.teardown_request(discard_uncommitted)
    app.register_error_handler(413, too_large)
