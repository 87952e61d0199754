"""Scans attached to consents and to the documents of an appeal: through the forms, on the cards, downloaded through
their record only (scoped, audited), refused in Russian with the form kept; replacing and removing are audited."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AppealDocument, AuditEntry, Consent
from app.platform import files
from app.platform.clock import today as regional_today
from tests import factories, samples

YESTERDAY = regional_today() - timedelta(days=1)


def stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def _empty_upload_folder(app):
    for path in stored_files(app):
        path.unlink()
    yield


def add_consent(client, citizen, content: bytes, name: str, **fields):
    data = {
        "citizen": str(citizen.id),
        "signed_on": YESTERDAY.isoformat(),
        "scope": fields.pop("scope", "Обработка персональных данных в целях социального сопровождения"),
        "scan": (io.BytesIO(content), name),
        **fields,
    }
    return client.post("/consentview/add", data=data, content_type="multipart/form-data")


def test_a_consent_with_its_pdf_shows_the_file_and_downloads_it_through_the_record(app, world, login):
    citizen = factories.citizen(world.centre_a)
    registrar = login("registrar")
    response = add_consent(registrar, citizen, samples.pdf(), "Согласие Иванова.pdf")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    consent = db.session.scalars(select(Consent)).one()
    assert (consent.file_name, consent.file_type, consent.file_size) == (
        "Согласие Иванова.pdf",
        "application/pdf",
        len(samples.pdf()),
    )
    assert re.fullmatch(r"[0-9a-f]{32}", consent.file)
    assert stored_files(app) == [files.path_of(consent.file)]  # under the random name, nothing else
    card = registrar.get(f"/consentview/show/{consent.id}").get_data(as_text=True)
    link = f'href="/consentview/file/{consent.id}"'
    assert link in card and "Согласие Иванова.pdf" in card and "(PDF, 1 КБ)" in card
    assert link in registrar.get("/consentview/list/").get_data(as_text=True)

    download = registrar.get(f"/consentview/file/{consent.id}")
    assert download.status_code == 200 and download.data == samples.pdf()
    assert download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%D0%A1%D0%BE%D0%B3" in disposition
    exported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [(e.object_type, e.object_id, e.username, e.centre_id) for e in exported] == [
        ("consent", consent.id, "registrar", world.centre_a.id)
    ]
    assert exported[0].changes == {"file_name": "Согласие Иванова.pdf"}


def test_another_centre_the_admin_and_flask_appbuilder_s_own_route_never_get_the_file(app, world, login):
    citizen = factories.citizen(world.centre_a)
    add_consent(login("director"), citizen, samples.pdf(), "согласие.pdf")
    consent = db.session.scalars(select(Consent)).one()
    for user, refused in (("specialist_b", 404), ("admin", 403)):  # another centre; no case data at all
        client = login(user)
        assert client.get(f"/consentview/file/{consent.id}").status_code == refused
        assert client.get(f"/consentview/download/{consent.file}").status_code == 404
    assert login("department").get(f"/consentview/file/{consent.id}").status_code == 200  # reads every centre
    director = login("director")
    assert director.get(f"/consentview/download/{consent.file}").status_code == 404  # no route by file name
    assert director.get("/consentview/file/999999").status_code == 404
    exported = db.session.scalars(select(AuditEntry.username).where(AuditEntry.action == "export")).all()
    assert exported == ["department"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "пустой.pdf", "Файл пустой"),
        (samples.exe(), "заявление.pdf", "не является документом PDF, JPEG, PNG, TIFF, DOC, DOCX или ODT"),
        (samples.pdf() + b"0" * 70_000, "большой.pdf", "больше 0,06 МБ"),
    ],
)
def test_an_empty_file_a_program_and_an_oversize_file_are_refused_in_russian_with_the_form_kept(
    app, world, login, monkeypatch, content, name, message
):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 64 * 1024)
    citizen = factories.citizen(world.centre_a)
    response = add_consent(login("registrar"), citizen, content, name, scope="Передача в центр занятости")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page  # refused: the same form, with the input
    assert "Передача в центр занятости" in page and YESTERDAY.isoformat() in page  # what was typed stays
    assert db.session.scalars(select(Consent)).all() == [] and stored_files(app) == []


def test_a_request_far_over_the_limit_is_cut_off_with_a_russian_page(app, world, login, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 16 * 1024)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 48 * 1024)
    citizen = factories.citizen(world.centre_a)
    registrar = login("registrar")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production: the CSRF check meets the size first
    response = add_consent(registrar, citizen, samples.pdf() + b"0" * 100_000, "огромный.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "Файл больше 0,02 МБ" in page and "Вернуться к форме" in page
    assert db.session.scalars(select(Consent)).all() == [] and stored_files(app) == []


def test_replacing_and_removing_a_scan_are_audited_and_leave_no_file_behind(app, world, login):
    citizen = factories.citizen(world.centre_a)
    director = login("director")
    add_consent(director, citizen, samples.pdf(), "первый.pdf")
    consent = db.session.scalars(select(Consent)).one()
    first = consent.file
    form = {"citizen": str(citizen.id), "signed_on": YESTERDAY.isoformat(), "scope": consent.scope}
    edit = director.get(f"/consentview/edit/{consent.id}").get_data(as_text=True)
    assert "первый.pdf" in edit and 'name="scan-remove"' in edit and 'accept=".pdf,.jpg' in edit
    response = director.post(
        f"/consentview/edit/{consent.id}",
        data={**form, "scan": (io.BytesIO(samples.jpeg()), "второй.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    consent = db.session.get(Consent, consent.id)
    assert (consent.file_name, consent.file_type) == ("второй.jpg", "image/jpeg") and consent.file != first
    assert stored_files(app) == [files.path_of(consent.file)]  # the replaced scan is gone
    director.post(f"/consentview/edit/{consent.id}", data={**form, "scan-remove": "y"})
    consent = db.session.get(Consent, consent.id)
    assert (consent.file, consent.file_name, consent.file_type, consent.file_size) == (None, None, None, None)
    assert stored_files(app) == []
    director.post(f"/consentview/edit/{consent.id}", data=form)  # an edit without a file keeps none
    changes = [
        e.changes.get("file_name")
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "consent").order_by(AuditEntry.id)
        )
        if e.action in ("create", "update") and e.changes and "file_name" in e.changes
    ]
    assert changes == [[None, "первый.pdf"], ["первый.pdf", "второй.jpg"], ["второй.jpg", None]]


def test_deleting_a_document_deletes_its_scan(app, world, login):
    appeal = factories.appeal(factories.citizen(world.centre_a), with_documents=False)
    director = login("director")
    response = director.post(
        "/appealdocumentview/add",
        data={
            "appeal": str(appeal.id),
            "kind": "application",
            "document_date": YESTERDAY.isoformat(),
            "scan": (io.BytesIO(samples.tiff()), "заявление.tif"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalars(select(AppealDocument)).one()
    assert document.file_type == "image/tiff" and len(stored_files(app)) == 1
    director.post(f"/appealdocumentview/delete/{document.id}")
    assert db.session.scalars(select(AppealDocument)).all() == [] and stored_files(app) == []


def test_the_appeal_card_shows_the_document_pack_with_links(app, world, login):
    appeal = factories.appeal(factories.citizen(world.centre_a), with_documents=False)
    registrar = login("registrar")
    page = registrar.get(f"/appealview/show/{appeal.id}").get_data(as_text=True)
    assert page.count("отсутствует") == 3
    for kind, (content, name) in {
        "application": (samples.pdf(), "заявление.pdf"),
        "need_assessment": (samples.docx(), "акт оценки.docx"),
        "living_conditions": (samples.png(), "акт обследования.png"),
    }.items():
        registrar.post(
            "/appealdocumentview/add",
            data={
                "appeal": str(appeal.id),
                "kind": kind,
                "document_date": YESTERDAY.isoformat(),
                "scan": (io.BytesIO(content), name),
            },
            content_type="multipart/form-data",
        )
    documents = {d.kind: d for d in db.session.scalars(select(AppealDocument))}
    page = registrar.get(f"/appealview/show/{appeal.id}").get_data(as_text=True)
    assert "отсутствует" not in page
    for kind, name in (("application", "заявление.pdf"), ("need_assessment", "акт оценки.docx")):
        assert f'href="/appealdocumentview/show/{documents[kind].id}"' in page
        assert f'href="/appealdocumentview/file/{documents[kind].id}"' in page and name in page
    assert "(DOCX," in page and "(PNG," in page
    other = login("specialist_b")
    assert other.get(f"/appealdocumentview/file/{documents['application'].id}").status_code == 404
