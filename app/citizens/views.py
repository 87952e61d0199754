"""Citizens, their household, consents, and the journal of appeals with its documents."""

from __future__ import annotations

from flask import flash
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation

from app.citizens.duplicates import check_snils_free, namesakes_elsewhere
from app.domain.errors import RuleViolation
from app.fab.fields import FieldRuleValidator
from app.fab.files import AttachmentViewMixin, send_attachment
from app.fab.interface import eager
from app.fab.numbers import prefill_register
from app.fab.registry import CITIZENS, Menu
from app.fab.views import ConsoleModelView
from app.models import Appeal, AppealDocument, Citizen, Consent, HouseholdMember
from app.platform.labels import rule_message


class HouseholdMemberView(ConsoleModelView):
    datamodel = eager(HouseholdMember, "citizen")
    menu = Menu("Household members", _l("Household members"), "fa-users", CITIZENS)
    lookups = {"citizen": "citizen"}
    list_title = _l("Household members")
    list_columns = ["citizen", "relation", "full_name", "birth_date", "work_or_study"]
    add_columns = edit_columns = show_columns = ["citizen", "relation", "full_name", "birth_date", "work_or_study"]
    search_columns = ["full_name", "relation"]


class ConsentView(AttachmentViewMixin, ConsoleModelView):
    datamodel = eager(Consent, "citizen")
    menu = Menu("Consents", _l("Consents"), "fa-file-signature", CITIZENS)
    lookups = {"citizen": "citizen", "organisations": "organisation"}
    file_endpoint = "ConsentView.file"
    list_title = _l("Consents to personal data processing")
    show_title = _l("Consent to personal data processing")
    list_columns = ["citizen", "signed_on", "revoked_on", "scan"]
    # the purposes (152-ФЗ as amended by 156-ФЗ): processing in the centre, transfer to named organisations, to the
    # members of the territory's working group (with the phone or without); revoking or narrowing takes effect at once
    add_columns = edit_columns = show_columns = [
        "citizen",
        "signed_on",
        "valid_until",
        "scope",
        "in_centre",
        "organisations",
        "to_working_group",
        "with_phone",
        "scan",
        "revoked_on",
    ]
    label_columns = {"organisations": _l("Organisations to which the data may be transferred")}
    search_columns = ["signed_on", "revoked_on"]
    base_order = ("signed_on", "desc")

    @expose("/file/<int:pk>")
    @has_access
    @permission_name("show")
    def file(self, pk: int):
        """The signed consent's scan, for those who may read the consent (scoped, audited)."""
        return send_attachment(Consent, pk)


class AppealDocumentView(AttachmentViewMixin, ConsoleModelView):
    datamodel = eager(AppealDocument, "appeal")
    menu = Menu("Appeal documents", _l("Documents of appeals"), "fa-file", CITIZENS)
    lookups = {"appeal": "appeal"}
    file_endpoint = "AppealDocumentView.file"
    list_title = _l("Documents of appeals")
    show_title = _l("Document of the pack")
    list_columns = ["appeal", "kind", "document_date", "scan"]
    add_columns = edit_columns = show_columns = ["appeal", "kind", "document_date", "scan", "note"]
    search_columns = ["kind", "document_date"]

    @expose("/file/<int:pk>")
    @has_access
    @permission_name("show")
    def file(self, pk: int):
        """The document's scan, for those who may read the appeal (scoped, audited)."""
        return send_attachment(AppealDocument, pk)


class AppealView(ConsoleModelView):
    datamodel = eager(Appeal, "citizen", "centre")
    menu = Menu("Appeals", _l("Journal of appeals"), "fa-book", CITIZENS)
    lookups = {"citizen": "citizen"}
    list_title = _l("Journal of appeals")
    show_title = _l("Appeal")
    show_template = "appeals/show.html"  # the document pack: which of the three documents are there, with links
    list_columns = ["journal_number", "appeal_date", "citizen", "channel", "decision", "centre"]
    add_columns = edit_columns = [
        "centre",
        "journal_number",
        "appeal_date",
        "citizen",
        "channel",
        "reason",
        "problems",
        "decision",
    ]
    show_columns = add_columns
    search_columns = ["journal_number", "appeal_date", "channel", "decision", "centre"]
    order_columns = ["journal_number", "appeal_date", "citizen", "decision"]
    related_order = {"citizen": "citizen.surname"}
    base_order = ("appeal_date", "desc")
    related_views = ["AppealDocumentView"]
    description_columns = {"journal_number": _l("The next free number of the year is proposed; it may be changed.")}

    def prefill_add_form(self, form) -> None:
        prefill_register(form, Appeal, "journal_number")


class SnilsFree:
    """Form validator: the SNILS is not registered yet, here or (naming the centre) elsewhere."""

    def __call__(self, form, field) -> None:
        try:
            check_snils_free(field.data, getattr(form, "_id", None))
        except RuleViolation as violation:
            raise StopValidation(rule_message(violation)) from None


class CitizenView(ConsoleModelView):
    """The citizen card in the order of §1 of the programme form."""

    datamodel = eager(Citizen, "centre", "category")
    menu = Menu("Citizens list", _l("Citizens"), "fa-user", CITIZENS)
    list_title = _l("Citizens")
    show_title = _l("Citizen")
    list_columns = ["surname", "first_name", "patronymic", "birth_date", "category", "centre"]
    search_columns = ["search", "surname", "first_name", "patronymic", "snils", "birth_date", "category", "centre"]
    label_columns = {"search": _l("Name, date of birth or SNILS")}
    order_columns = ["surname", "first_name", "birth_date", "category"]
    related_order = {"category": "category.name"}
    base_order = ("surname", "asc")
    _card = [
        (_l("Citizen"), {"fields": ["surname", "first_name", "patronymic", "birth_date", "sex", "snils"]}),
        (_l("Place of residence and contacts"), {"fields": ["address", "phone"]}),
        (_l("Category and health"), {"fields": ["category", "disability_group", "work_limitation"]}),
        (_l("Family status"), {"fields": ["family_status", "family_status_other"]}),
        (_l("Circumstances of need"), {"fields": ["circumstances"]}),
        (
            _l("Legal representative"),
            {"fields": ["representative_name", "representative_relation", "representative_phone"]},
        ),
        (_l("Centre"), {"fields": ["centre"]}),
    ]
    add_fieldsets = edit_fieldsets = show_fieldsets = _card
    related_views = ["ConsentView", "AppealView", "ProgrammeView", "HouseholdMemberView"]
    validators_columns = {"snils": [FieldRuleValidator("snils"), SnilsFree()]}
    description_columns = {
        "snils": _l("11 digits, e.g. 112-233-445 95"),
        "phone": _l("For example +7 912 345-67-89"),
    }

    def post_add(self, item) -> None:
        self._warn_namesakes(item)

    def post_update(self, item) -> None:
        self._warn_namesakes(item)

    @staticmethod
    def _warn_namesakes(item) -> None:
        centres = namesakes_elsewhere(item.surname, item.first_name, item.birth_date, item.id)
        if centres:
            flash(
                _(
                    "A person with the same name and date of birth is already accompanied by: %(centres)s.",
                    centres=", ".join(centres),
                ),
                "warning",
            )
