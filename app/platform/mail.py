"""Plain SMTP for the console's messages (``MAIL_*`` settings); without ``MAIL_SERVER`` nothing is sent."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage


def mail_configured(app) -> bool:
    return bool(app.config.get("MAIL_SERVER"))


def send_mail(app, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(app.config["MAIL_SERVER"], app.config.get("MAIL_PORT", 25), timeout=10) as smtp:
        if app.config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if app.config.get("MAIL_USERNAME"):
            smtp.login(app.config["MAIL_USERNAME"], app.config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
