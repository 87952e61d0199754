"""``pip install .`` gives a console that runs away from the source checkout.

The wheel is built from the checkout, installed into a fresh virtualenv (its dependencies are taken from the test
environment's site-packages, so nothing is downloaded), and then, from an empty folder with only environment
variables, ``flask db upgrade`` and ``flask roles sync`` prepare a database and gunicorn serves the Russian login page
with the code, templates, migrations and compiled catalogues of the wheel.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.one_pass  # the installed console runs on a SQLite database of its own


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the sources, as from a clean clone (a build folder left in the checkout could carry
    modules that no longer exist)."""
    source = tmp_path_factory.mktemp("source") / "console"
    skip = (".git", ".venv", "build", "dist", "*.egg-info", "instance", "test-artifacts", "__pycache__", "*.mo")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*skip))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_carries_code_templates_migrations_and_compiled_catalogues(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "config.py",
        "app/__init__.py",
        "app/casework/workflow.py",
        "app/casework/templates/case/page.html",
        "app/migrations/env.py",
        "app/migrations/alembic.ini",
        "app/translations/ru/LC_MESSAGES/messages.mo",
        "app/translations/en/LC_MESSAGES/messages.mo",
        "reports/monthly.py",
    ):
        assert expected in names, expected
    assert any(name.startswith("app/migrations/versions/") for name in names)
    assert not any(name.startswith("tests/") for name in names)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_installed_console_runs_from_any_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # the dependencies, from the test environment: appended after the venv's own packages, so the wheel's app wins
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "FLASK_APP": "app:create_app",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
        "SECRET_KEY": "a-production-secret-key-of-enough-length-0123456789",
        "APP_ENV": "production",
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def run(*args: str) -> str:
        result = subprocess.run([str(python), *args], cwd=elsewhere, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    where = run("-c", "import app, config; print(app.__file__); print(config.__file__)")
    assert str(ROOT) not in where and str(venv) in where
    run("-m", "flask", "db", "upgrade")
    assert "roles created" in run("-m", "flask", "roles", "sync")

    port = _free_port()
    server = subprocess.Popen(
        [str(python), "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Войти" in page or "Вход" in page, page[:2000] or server.stderr.read()[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=10)
