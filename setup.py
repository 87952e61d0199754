"""The wheel carries what the console needs to run away from a source checkout.

Everything else about the package is declared in ``pyproject.toml``; this file only adds a build step: the Alembic
migrations and the translation catalogues, kept at the top of the repository, are copied into the package
(``app/migrations``, ``app/translations``) and the catalogues compiled, so that ``pip install .`` gives a console
that upgrades its database and speaks Russian from any folder (``app.bundled`` finds them there).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads them from the checkout
        target = Path(self.build_lib) / "app"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / "migrations", target / "migrations", dirs_exist_ok=True, ignore=ignore)
        shutil.copytree(ROOT / "translations", target / "translations", dirs_exist_ok=True, ignore=ignore)
        from babel.messages.frontend import CommandLineInterface

        CommandLineInterface().run(["pybabel", "-q", "compile", "-d", str(target / "translations")])


setup(cmdclass={"build_py": BuildWithData})
