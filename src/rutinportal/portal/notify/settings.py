"""Mail settings, from `RUTINPORTAL_*` environment variables; the password is never shown.

`SMTP_HOST`, `SMTP_PORT` (25, 587 or 465 by `SMTP_TLS`), `SMTP_USER`, `SMTP_PASSWORD`,
`SMTP_TLS` (`none`, `starttls` default, `ssl`), `MAIL_FROM` and `PUBLIC_URL` (for the links):
a real run needs the host, the sender and the public URL, a dry run none of them. When to
remind: `REMIND_DAYS_BEFORE` (7), `OVERDUE_REMINDERS` (4, weekly), `DECISION_WAIT_DAYS` (14),
`REVIEW_WITHIN_DAYS` (30), `SUMMARY_WEEKDAY` (1 = Monday … 7). README: *E-post*.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from email.utils import parseaddr

from ...errors import UserError
from ..settings import ENV_PREFIX, env, positive_int

TLS_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
DRY_RUN_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    tls: str = "starttls"
    mail_from: str = ""
    public_url: str = ""
    remind_days_before: int = 7
    overdue_reminders: int = 4
    decision_wait_days: int = 14
    review_within_days: int = 30
    summary_weekday: int = 1

    def __repr__(self) -> str:
        def shown(name: str) -> str:
            value = getattr(self, name)
            return "'***'" if name == "password" and value else repr(value)

        return "MailSettings(" + ", ".join(f"{f.name}={shown(f.name)}"
                                           for f in fields(self)) + ")"

    def link(self, path: str) -> str:
        return (self.public_url or DRY_RUN_URL) + path

    def require_sending(self) -> None:
        """Everything a real run needs; a dry run needs none of it."""
        missing = [name for name, value in (("SMTP_HOST", self.host),
                                            ("MAIL_FROM", self.mail_from),
                                            ("PUBLIC_URL", self.public_url)) if not value]
        if missing:
            raise UserError("E-post kan inte skickas: sätt " + ", ".join(
                ENV_PREFIX + m for m in missing) + " (se README, E-post). Med --dry-run "
                "visas vad som skulle skickas utan dem.")


def load_mail_settings() -> MailSettings:
    tls = (env("SMTP_TLS") or "starttls").strip().lower()
    if tls not in TLS_MODES:
        raise UserError(f"{ENV_PREFIX}SMTP_TLS: förväntade en av {', '.join(TLS_MODES)}, "
                        f"fick '{tls}'")
    mail_from = (env("MAIL_FROM") or "").strip()
    if mail_from and "@" not in parseaddr(mail_from)[1]:
        raise UserError(f"{ENV_PREFIX}MAIL_FROM: förväntade en e-postadress (t.ex. "
                        f"Rutinportalen <rutiner@kommun.se>), fick '{mail_from}'")
    public_url = (env("PUBLIC_URL") or "").strip().rstrip("/")
    if public_url and not public_url.startswith(("https://", "http://")):
        raise UserError(f"{ENV_PREFIX}PUBLIC_URL: förväntade en adress som börjar med "
                        f"https://, fick '{public_url}'")
    weekday = positive_int("SUMMARY_WEEKDAY", 1)
    if weekday > 7:
        raise UserError(f"{ENV_PREFIX}SUMMARY_WEEKDAY: förväntade 1 (måndag) till 7 (söndag), "
                        f"fick '{weekday}'")
    return MailSettings(
        host=(env("SMTP_HOST") or "").strip(),
        port=positive_int("SMTP_PORT", DEFAULT_PORTS[tls]),
        user=env("SMTP_USER") or "", password=env("SMTP_PASSWORD") or "", tls=tls,
        mail_from=mail_from, public_url=public_url,
        remind_days_before=positive_int("REMIND_DAYS_BEFORE", 7),
        overdue_reminders=positive_int("OVERDUE_REMINDERS", 4),
        decision_wait_days=positive_int("DECISION_WAIT_DAYS", 14),
        review_within_days=positive_int("REVIEW_WITHIN_DAYS", 30),
        summary_weekday=weekday)
