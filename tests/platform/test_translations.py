"""The translation catalogues are complete, current and safe, and the UI speaks Russian by default.

The catalogue checks re-extract the messages from the code exactly as ``make extract-messages``
does (same ``babel.cfg``, same ``-k`` keywords, read from the Makefile) into a temporary .pot, and
compare it with ``translations/messages.pot`` and with the ru and en catalogues.

When one of them fails after a code change: ``make extract-messages``, translate the new entries
in both catalogues (no fuzzy, no empty msgstr), then ``make translations``.

The rendering checks follow what Flask-AppBuilder 5.3 really does (``flask_appbuilder/babel``):
``?_l_=<lang>`` selects the language of that one request only; ``/lang/<lang>`` stores the choice
in the session; without either, ``BABEL_DEFAULT_LOCALE`` (ru) is used and stored in the session.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LOCALES = ("ru", "en")
PLURAL_FORMS = {
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "en": (2, "(n != 1)"),
}

# %-conversions (named, positional, %%, and a stray "%") and str.format fields.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]?|\{[^{}]*\}")


def _po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _read_po(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def _key(message) -> tuple:
    """(context, msgid, msgid_plural) of a catalogue entry."""
    if message.pluralizable:
        return (message.context, message.id[0], message.id[1])
    return (message.context, message.id, None)


def _forms(string) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _keys(catalog) -> set[tuple]:
    return {_key(m) for m in catalog if m.id}


def _show(keys) -> str:
    return "\n".join(
        f"  {k[1]!r}" + (f" / {k[2]!r}" if k[2] else "") + (f" [ctx {k[0]!r}]" if k[0] else "")
        for k in sorted(keys, key=repr)
    )


def _makefile_keywords() -> list[str]:
    """The -k arguments of the pybabel extract command in the Makefile."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if "pybabel" in line and " extract " in line:
            tokens = shlex.split(line.strip())
            args: list[str] = []
            for i, token in enumerate(tokens):
                if token in ("-k", "--keyword", "--keywords") and i + 1 < len(tokens):
                    args += ["-k", tokens[i + 1]]
                elif token.startswith(("--keyword=", "--keywords=")):
                    args += ["-k", token.split("=", 1)[1]]
            assert args, f"no -k keywords in the Makefile extract command: {line!r}"
            return args
    pytest.fail("the Makefile has no `pybabel extract` command (target extract-messages)")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of the code into a temporary .pot, as `make extract-messages` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    cmd = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
    cmd += [*_makefile_keywords(), "-o", str(pot), "."]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    catalog = _read_po(pot)
    assert len(_keys(catalog)) > 100, "the extraction found suspiciously few messages"
    return catalog


@pytest.fixture(scope="module", params=LOCALES)
def locale_catalog(request):
    return request.param, _read_po(_po_path(request.param))


def _catalog_for(name: str):
    return _read_po(POT if name == "pot" else _po_path(name))


# --- (a) every msgid of the code is in the template and in each catalogue ---------------------


@pytest.mark.parametrize("name", ["pot", *LOCALES])
def test_every_message_of_the_code_is_in_the_catalogue(extracted, name):
    missing = _keys(extracted) - _keys(_catalog_for(name))
    assert not missing, (
        f"{name}: {len(missing)} message(s) of the code are not in the catalogue; run `make extract-messages` "
        f"and translate them:\n{_show(missing)}"
    )


# --- (d) no stale or obsolete entries ------------------------------------------------------------


@pytest.mark.parametrize("name", ["pot", *LOCALES])
def test_catalogue_has_no_message_the_code_no_longer_uses(extracted, name):
    stale = _keys(_catalog_for(name)) - _keys(extracted)
    assert not stale, (
        f"{name}: {len(stale)} message(s) are no longer in the code; run `make extract-messages`:\n{_show(stale)}"
    )


def test_catalogue_has_no_obsolete_entries(locale_catalog):
    locale, catalog = locale_catalog
    obsolete = [_key(m) for m in catalog.obsolete.values()]
    assert not obsolete, f"{locale}: obsolete (#~) entries left in the catalogue, delete them:\n{_show(obsolete)}"


# --- (b) every entry is translated, every plural form too -----------------------------------------


def test_plural_forms_header(locale_catalog):
    locale, catalog = locale_catalog
    nplurals, expr = PLURAL_FORMS[locale]
    assert catalog.num_plurals == nplurals
    assert catalog.plural_expr.replace(" ", "") == expr.replace(" ", "")


def test_every_entry_is_translated(locale_catalog):
    locale, catalog = locale_catalog
    untranslated = []
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            forms = _forms(message.string)
            if len(forms) != catalog.num_plurals or not all(f and f.strip() for f in forms):
                untranslated.append(_key(message))
        elif not (message.string and message.string.strip()):
            untranslated.append(_key(message))
    assert not untranslated, f"{locale}: {len(untranslated)} entr(ies) without translation:\n{_show(untranslated)}"


# --- (c) nothing fuzzy -----------------------------------------------------------------------------


def test_nothing_is_fuzzy(locale_catalog):
    locale, catalog = locale_catalog
    # A fuzzy header makes `pybabel compile` skip the whole catalogue.
    assert not catalog.fuzzy, f"{locale}: the catalogue header is marked fuzzy"
    fuzzy = [_key(m) for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"{locale}: fuzzy entries (check the translation, then remove the flag):\n{_show(fuzzy)}"


# --- (e) placeholders are kept -----------------------------------------------------------------


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_placeholders_match(locale_catalog):
    locale, catalog = locale_catalog
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = message.id
            for index, form in enumerate(message.string):
                # With two forms (en) the first one is the singular; in Russian form 0 also serves 21, 31…
                source = singular if catalog.num_plurals == 2 and index == 0 else plural
                if form and _placeholders(form) != _placeholders(source):
                    wrong.append(f"  {singular!r} [form {index}]: {form!r}")
        elif message.string and _placeholders(message.string) != _placeholders(message.id):
            wrong.append(f"  {message.id!r}: {message.string!r}")
    assert not wrong, f"{locale}: placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_compiled_catalogue_is_up_to_date(locale_catalog):
    """The app reads the .mo files; `make translations` compiles them (they are not committed)."""
    locale, catalog = locale_catalog
    mo_path = _po_path(locale).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run `make translations`"
    with mo_path.open("rb") as f:
        compiled = read_mo(f)
    outdated = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        in_mo = compiled.get(message.id, message.context)
        if in_mo is None or _forms(in_mo.string) != _forms(message.string):
            outdated.append(_key(message))
    assert not outdated, f"{locale}: the .mo is older than the .po, run `make translations`:\n{_show(outdated)}"


# --- rendered pages -----------------------------------------------------------------------------


def _page(client, url: str) -> str:
    # The conftest client runs each request in its own app context, so Flask-Babel selects the locale
    # afresh for every request, as in production (it caches the choice on the app context).
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


RU_LOGIN = ("Имя пользователя", "Пароль")
EN_LOGIN = ("Username", "Password")
RU_HOME = "Граждане, находящиеся в трудной жизненной ситуации"
EN_HOME = "Citizens in a difficult life situation"


def _assert_login_in(html: str, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_pages_are_russian_by_default(client):
    _assert_login_in(_page(client, "/login/"), RU_LOGIN, EN_LOGIN)
    home = _page(client, "/")
    assert RU_HOME in home  # our own catalogue
    assert EN_HOME not in home
    with client.session_transaction() as session:
        assert session["locale"] == "ru"


def test_l_argument_switches_one_request_to_english(client):
    _assert_login_in(_page(client, "/login/?_l_=en"), EN_LOGIN, RU_LOGIN)
    assert EN_HOME in _page(client, "/?_l_=en")
    # Not remembered: the next page is Russian again.
    _assert_login_in(_page(client, "/login/"), RU_LOGIN, EN_LOGIN)


def test_unknown_language_falls_back_to_russian(client):
    _assert_login_in(_page(client, "/login/?_l_=de"), RU_LOGIN, EN_LOGIN)
    assert client.get("/lang/de").status_code == 404


def test_lang_view_remembers_the_language_in_the_session(client):
    assert client.get("/lang/en").status_code == 302
    with client.session_transaction() as session:
        assert session["locale"] == "en"
    _assert_login_in(_page(client, "/login/"), EN_LOGIN, RU_LOGIN)
    assert EN_HOME in _page(client, "/")

    assert client.get("/lang/ru").status_code == 302
    _assert_login_in(_page(client, "/login/"), RU_LOGIN, EN_LOGIN)


def test_menu_in_english_after_switching(world, login):
    client = login("director")
    client.get("/lang/en")
    html = _page(client, "/citizenview/list/")
    for label in ("Citizens", "Accompaniment", "Committees", "Reference", "Administration"):
        assert label in html
    for label in ("Справочники", "Администрирование", "Комиссии"):
        assert label not in html
