"""Each message in Swedish, as plain text and as accessible HTML that say the same: from
Jinja templates beside this module (HTML autoescaped; `lang="sv"`, real headings, links that
say where they lead). No images, no tracking, nothing fetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .compose import Draft

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")


def long_date(day: dt.date) -> str:
    """"29 november 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("rutinportal.portal.notify", "templates"),
                      autoescape=select_autoescape(["html.j2"], default_for_string=False,
                                                   default=False),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["long_date"] = long_date
    env.globals["plural"] = plural
    return env


@dataclass(frozen=True)
class Rendered:
    draft: Draft
    subject: str
    text: str
    html: str


def subject(draft: Draft) -> str:
    c = draft.context
    if draft.kind == "digest":
        count = len(c["new"])
        return f"Nytt att göra i Rutinportalen: {plural(count, 'sak', 'saker')}"
    if draft.kind == "reminder":
        if any(t.obligation.overdue for t in c["reminders"]):
            return "Försenat i Rutinportalen: gör det så snart du kan"
        first = min(t.obligation.due for t in c["reminders"])
        return f"Påminnelse från Rutinportalen: senast {long_date(first)}"
    week = c["today"].isocalendar()[1]
    if draft.kind == "summary":
        return f"Veckosammanfattning för {', '.join(c['units'])}, vecka {week}"
    if draft.kind == "decisions":
        return (f"{plural(len(c['waiting']), 'dokument', 'dokument')} väntar på beslut "
                f"längre än {c['days']} dagar (vecka {week})")
    if draft.kind == "owner_reviews":
        return (f"Dags för översyn: {plural(len(c['due']), 'dokument', 'dokument')} där du är "
                f"informationsägare (vecka {week})")
    return f"Översyn av {plural(len(c['due']), 'dokument', 'dokument')} (vecka {week})"


def render(draft: Draft) -> Rendered:
    template = "staff" if draft.kind in ("digest", "reminder") else draft.kind
    env = environment()
    title = subject(draft)
    context = {**draft.context, "kind": draft.kind, "subject": title}
    return Rendered(draft, title, env.get_template(f"{template}.txt.j2").render(**context),
                    env.get_template(f"{template}.html.j2").render(**context))


def message(to_address: str, mail_from: str, subject_text: str, text: str, html: str,
            message_id: str, when: dt.datetime, kind: str) -> EmailMessage:
    """The MIME message: plain text first, the HTML alternative after it."""
    mail = EmailMessage()
    mail["From"] = mail_from
    mail["To"] = to_address
    mail["Subject"] = subject_text
    mail["Date"] = format_datetime(when)
    mail["Message-ID"] = message_id
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    mail["X-Rutinportalen"] = kind  # digest, reminder, summary, decisions, reviews,
    #                                 owner_reviews: for mail filters
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


def new_message_id(mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "rutinportalen.invalid"
    return make_msgid("rutinportalen", domain=domain)
