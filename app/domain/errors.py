"""Rule violations carry a code and parameters; the app layer turns them into Russian or English text."""

from __future__ import annotations


class RuleViolation(Exception):
    """A domain rule said no. ``code`` names the rule; ``params`` fill its message."""

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params
