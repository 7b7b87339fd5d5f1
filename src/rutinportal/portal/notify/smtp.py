"""One SMTP connection for a whole run, with TLS as configured, and the server's answer to
each message (kept in the ledger). Secrets are never printed."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr

from ...errors import UserError
from .settings import MailSettings

TIMEOUT = 30


@dataclass(frozen=True)
class Answer:
    sent: bool        # accepted (250)
    final: bool       # True: the answer stands (sent, or refused for good); False: try later
    text: str


class Mailer:
    """`with Mailer(settings) as mailer: mailer.send(message, address)`."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            if s.tls == "ssl":
                self.smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT,
                                             context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
                if s.tls == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
            if s.user:
                self.smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError:
            self._close()
            raise UserError(f"SMTP-servern {where} godtog inte inloggningen för "
                            f"RUTINPORTAL_SMTP_USER '{s.user}'. Ingenting har skickats.") from None
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise UserError(f"SMTP-servern {where} svarar inte som väntat ({type(exc).__name__}: "
                            f"{exc}). Kontrollera RUTINPORTAL_SMTP_HOST, _PORT och _TLS. "
                            "Ingenting har skickats.") from None
        return self

    def send(self, message: EmailMessage, address: str) -> Answer:
        """Send one message; raises `OSError`/`SMTPServerDisconnected` if the line drops."""
        assert self.smtp is not None
        try:
            sender = parseaddr(message["From"])[1]
            self.smtp.ehlo_or_helo_if_needed()
            code, reply = self.smtp.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = self.smtp.rcpt(address)
            if code not in (250, 251):
                self.smtp.rset()
                return Answer(False, code >= 500, f"{code} {reply.decode(errors='replace')}")
            code, reply = self.smtp.data(message.as_bytes(policy=SMTP))
            return Answer(True, True, f"{code} {reply.decode(errors='replace')}")
        except smtplib.SMTPDataError as exc:
            self.smtp.rset()
            return Answer(False, exc.smtp_code >= 500,
                          f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}")
        except smtplib.SMTPSenderRefused as exc:
            raise UserError(f"SMTP-servern godtar inte avsändaren RUTINPORTAL_MAIL_FROM "
                            f"({exc.smtp_code} {exc.smtp_error.decode(errors='replace')}).") \
                from None

    def _close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc) -> None:
        self._close()

