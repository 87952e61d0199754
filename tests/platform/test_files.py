"""Scans are recognised by their content, never by their name; stored names are random and stay in their folder."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from app.domain.errors import RuleViolation
from app.platform import files
from tests import samples


def upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name)


@pytest.mark.parametrize("kind", sorted(samples.SCANS))
def test_every_accepted_kind_is_recognised_by_its_content_whatever_its_name(kind):
    content = samples.SCANS[kind]()
    found = files.sniff(io.BytesIO(content))
    assert found is not None and kind in found.extensions
    assert files.check_upload(upload(content, "без расширения")) is found


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "пустой.pdf", "file_empty"),
        (samples.exe(), "заявление.pdf", "file_type_refused"),
        (samples.zip_archive(), "акт.docx", "file_type_refused"),
        ("Текст, а не скан".encode(), "акт.odt", "file_type_refused"),
        (b"PK\x03\x04 broken archive", "акт.docx", "file_type_refused"),
    ],
)
def test_empty_files_programs_and_other_archives_are_refused(content, name, code):
    with pytest.raises(RuleViolation) as refused:
        files.check_upload(upload(content, name))
    assert refused.value.code == code and refused.value.field == "file"


def test_a_file_over_the_limit_is_refused_with_the_limit_in_megabytes(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1536 * 1024)
    big = samples.pdf() + b"0" * (1536 * 1024)
    with pytest.raises(RuleViolation) as refused:
        files.check_upload(upload(big, "скан.pdf"))
    assert refused.value.code == "file_too_large" and refused.value.params["limit"] == "1,5"
    assert files.check_upload(upload(samples.pdf(), "скан.pdf")).label == "PDF"


def test_names_lose_their_folders_and_gain_the_extension_of_their_content():
    pdf = files.BY_MIME["application/pdf"]
    jpeg = files.BY_MIME["image/jpeg"]
    assert files.clean_name("C:\\Сканы\\Согласие Иванова.PDF", pdf) == "Согласие Иванова.PDF"
    assert files.clean_name("../../etc/passwd", pdf) == "passwd.pdf"
    assert files.clean_name("скан.pdf", jpeg) == "скан.pdf.jpg"
    assert files.clean_name("\x00\n", pdf) == "file.pdf"
    assert len(files.clean_name("я" * 400 + ".pdf", pdf)) == 255


def test_stored_names_are_random_tokens_inside_the_upload_folder(app):
    stored = files.store(upload(samples.png(), "фото.png"))
    path = files.path_of(stored.token)
    assert path.parent.parent == files.folder() and path.read_bytes() == samples.png()
    assert (stored.name, stored.kind.label, stored.size) == ("фото.png", "PNG", len(samples.png()))
    assert files.store(upload(samples.png(), "фото.png")).token != stored.token
    for hostile in ("../../config.py", "/etc/passwd", "ab/../../x", "", None, "A" * 32):
        assert files.path_of(hostile) is None
    files.discard(stored.token)
    assert not path.exists()


def test_the_download_name_is_utf8_with_an_ascii_fallback():
    header = files.content_disposition("Согласие Иванова И.И.pdf")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%D0%A1%D0%BE%D0%B3%D0%BB%D0%B0%D1%81%D0%B8%D0%B5%20" in header
    header.encode("ascii")  # the header itself is plain ASCII
    # old clients read the name in Latin letters, as a Russian passport writes it
    assert 'filename="skan.pdf"' in files.content_disposition("скан.pdf")
    assert 'filename="Programma_PSS-2-2026.docx"' in files.content_disposition("Программа ПСС-2-2026.docx")
    assert 'filename="Shchuka_Iuliia_Ezhova.pdf"' in files.content_disposition("Щука Юлия Ёжова.pdf")
    assert 'filename="file.pdf"' in files.content_disposition("★.pdf")
    assert 'filename="akt_2026.docx"' in files.content_disposition("akt 2026.docx")
