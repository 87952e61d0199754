"""Attached scans in the generated forms and cards: the upload field, the link a card shows, and the download.

A view over a model with an attached file (``app.models.base.AttachedFile``) mixes in ``AttachmentViewMixin`` and
names its download endpoint; its forms then carry the ``scan`` field:

* the field is checked by its content before anything is saved (``app.platform.files``), so a refused file comes
  back as a message by the field with the rest of the form kept;
* the file is stored after the save pipeline has passed the record, and the record's ``file``, ``file_name``,
  ``file_type`` and ``file_size`` change with it, so that attaching, replacing and removing a file are written to
  the audit log like any change; a replaced or removed file is deleted once the change is committed, a file stored
  for a save that did not commit is deleted after the request;
* a card and a list show the file as a link with its name, type and size, to the view's own download route, which
  reads the record through the user's centre scope (``scoped_get``: another centre's file does not exist), writes
  an export entry to the audit log and sends the file with its original name (``send_attachment``).

Flask-AppBuilder's own ``/<view>/download/<filename>`` route (any file of the folder by its name, whatever record it
belongs to) is not registered by the console's views (``ConsoleModelView.download``).
"""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from markupsafe import Markup
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from app.domain.choices import AuditAction
from app.domain.errors import RuleViolation
from app.models.base import stored_value
from app.platform import audit, files
from app.platform.labels import rule_message
from app.security.scope import scoped_get

FIELD = "scan"  # the form field and the cards' column (the model's ``scan`` property)
_REPLACED = "console_scan_replaced"


def size_text(size: int | None) -> str:
    """«820 КБ», «1,4 МБ» in the user's language."""
    if not size:
        return ""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def kind_label(mime: str | None) -> str:
    kind = files.BY_MIME.get(mime or "")
    return kind.label if kind else ""


def file_link(record, endpoint: str) -> Markup:
    """The file of a record as a link to its download, with its type and size."""
    if record is None or not getattr(record, "file", None):
        return Markup("")
    details = ", ".join(part for part in (kind_label(record.file_type), size_text(record.file_size)) if part)
    href = url_for(endpoint, pk=record.id)
    name = record.file_name or _("file")
    link = Markup('<a href="{}" download><i class="fa fa-paperclip" aria-hidden="true"></i> {}</a>').format(href, name)
    return link + (Markup(' <small class="text-muted">({})</small>').format(details) if details else Markup(""))


def attachment_link(endpoint: str):
    """A formatter of the ``scan`` column for a view's list and show pages."""
    return lambda record: file_link(record, endpoint)


class ScanWidget:
    """The attached file (a link), a file input limited to the accepted kinds, and a box to remove the file."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        kwargs.pop("class_", None)
        current = field.object_data if not isinstance(field.object_data, FileStorage) else None
        parts = []
        if current is not None and getattr(current, "file", None):
            parts.append(Markup('<p class="form-control-static">{}</p>').format(file_link(current, self.endpoint)))
        parts.append(
            Markup("<input {}>").format(
                Markup(html_params(type="file", name=field.name, accept=files.ACCEPT, class_="form-control", **kwargs))
            )
        )
        hint = _(
            "PDF, JPEG, PNG, TIFF, DOC, DOCX or ODT, at most %(limit)s MB; the type is checked by the content.",
            limit=files.megabytes(files.limit()),
        )
        parts.append(Markup('<p class="help-block">{}</p>').format(hint))
        if current is not None and getattr(current, "file", None):
            box = Markup('<div class="checkbox"><label><input type="checkbox" name="{}" value="y"> {}</label></div>')
            parts.append(box.format(remove_marker(field.name), _("Remove the attached file")))
        return Markup("").join(parts)


def remove_marker(name: str) -> str:
    return f"{name}-remove"


class ScanAccepted:
    """Validator: an uploaded file must be an accepted kind within the size limit (the message names the rule)."""

    def __call__(self, form, field) -> None:
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            return
        try:
            files.check_upload(upload)
        except RuleViolation as violation:
            raise StopValidation(rule_message(violation)) from None


def scan_field(endpoint: str) -> FileField:
    return FileField(
        _l("Attached file"), validators=[ScanAccepted()], widget=ScanWidget(endpoint), render_kw={"data-scan": "1"}
    )


class AttachmentViewMixin:
    """Mix into a ``ConsoleModelView`` (before it) of a model with an attached file; set ``file_endpoint``."""

    file_endpoint: str = ""

    def __init__(self, **kwargs) -> None:
        field = scan_field(self.file_endpoint)
        self.add_form_extra_fields = {**(self.add_form_extra_fields or {}), FIELD: field}
        self.edit_form_extra_fields = {**(self.edit_form_extra_fields or {}), FIELD: field}
        self.formatters_columns = {FIELD: attachment_link(self.file_endpoint), **(self.formatters_columns or {})}
        super().__init__(**kwargs)

    def process_form(self, form, is_created: bool) -> None:
        """The upload is the record's file, not a value to copy into a column: it is kept apart until the save
        pipeline has passed the record."""
        if FIELD in form:
            upload = form[FIELD].data
            g.console_scan = {
                "upload": upload if isinstance(upload, FileStorage) and upload.filename else None,
                "remove": bool(request.form.get(remove_marker(FIELD))),
            }
            del form[FIELD]
        super().process_form(form, is_created)

    def pre_add(self, item) -> None:
        super().pre_add(item)
        self._attach(item)

    def pre_update(self, item) -> None:
        super().pre_update(item)
        self._attach(item)

    def post_add(self, item) -> None:
        self._settle(item)
        super().post_add(item)

    def post_update(self, item) -> None:
        self._settle(item)
        super().post_update(item)

    def pre_delete(self, item) -> None:
        super().pre_delete(item)
        g.setdefault(_REPLACED, []).append(item.file)

    def post_delete(self, item) -> None:
        for token in g.pop(_REPLACED, []):
            files.discard(token)
        super().post_delete(item)

    @staticmethod
    def _attach(item) -> None:
        sent = g.pop("console_scan", None) or {}
        upload, remove = sent.get("upload"), sent.get("remove")
        if upload is None and not remove:
            return
        previous = stored_value(item, "file")
        if upload is not None:
            try:
                stored = files.store(upload)
            except RuleViolation as violation:  # checked by the form already; a changed stream is refused here
                raise ValueError(rule_message(violation)) from None
            item.file, item.file_name = stored.token, stored.name
            item.file_type, item.file_size = stored.kind.mime, stored.size
        else:
            item.file = item.file_name = item.file_type = item.file_size = None
        if previous and previous != item.file:
            g.setdefault(_REPLACED, []).append(previous)

    @staticmethod
    def _settle(item) -> None:
        """The save is committed: the new file stays, the one it replaced goes."""
        files.kept(item.file)
        for token in g.pop(_REPLACED, []):
            files.discard(token)


def send_attachment(model: type, pk: int):
    """The file of a record the user may read, as a download written to the audit log; 404 otherwise."""
    record = scoped_get(model, pk)
    if record is None or not record.file:
        abort(404)
    response = files.send(record.file, record.file_name, record.file_type)
    if response is None:
        abort(404)
    audit.record(AuditAction.EXPORT, record, changes={"file_name": record.file_name})
    return response
