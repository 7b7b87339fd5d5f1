"""The e-mails of `rutinportal notify` as a screen reader or a plain-text mail program gets
them, read from the messages the real SMTP server captured over simulated days (every kind:
digest, reminder, the managers' summary, decisions, reviews): a plain-text part first and an
HTML alternative, the HTML in Swedish (`lang="sv"`) with its subject as title, one H1 and no
skipped heading level, links that say where they lead (never "klicka här"), and the plain
text saying the same words, with every link's address."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest

from rutinportal.portal.notify.render import message as mime_message

from ..support import write_roster
from .conftest import import_on
from .test_notify import JOINED, ROSTER, Notifier

pytestmark = pytest.mark.build

# The roster joins on JOINED: the first digest; a week before the due date; overdue, with the
# managers' summary; the reminders used up, an exception ending.
DAYS = (JOINED, dt.date(2026, 12, 24), dt.date(2027, 1, 7), dt.date(2027, 1, 21))
KINDS = {"digest", "reminder", "summary", "decisions", "reviews"}
# Link texts that do not say where a link leads (WCAG 2.4.4).
VAGUE = {"klicka här", "klicka", "här", "länk", "länken", "denna länk", "läs mer", "mer",
         "click here", "here", "link"}
URL = re.compile(r"https?://\S+")


class _Html(HTMLParser):
    """The parts of an HTML mail that a screen reader announces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, str]] = []
        self.images: list[str | None] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self._link: list[str] | None = None
        self._href = ""
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "a":
            self._link, self._href = [], attrs.get("href") or ""
        elif tag == "img":
            self.images.append(attrs.get("alt"))
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        self._open.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._href, " ".join("".join(self._link).split())))
            self._link = None
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading).split())))
            self._heading = None
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data) -> None:
        if "title" in self._open:
            self.title += data
        if {"head", "style", "title"} & set(self._open):
            return
        self.text.append(data)
        for collecting in (self._link, self._heading):
            if collecting is not None:
                collecting.append(data)


def words(text: str) -> list[str]:
    """The words of a text, without addresses and punctuation, in order."""
    return re.findall(r"\w+", URL.sub(" ", text).lower())


def mail_problems(mail: EmailMessage) -> list[str]:
    """What keeps a message from being readable by everyone; empty when nothing does."""
    if mail.get_content_type() != "multipart/alternative":
        return [f"a {mail.get_content_type()}, not a plain text with an HTML alternative"]
    parts = list(mail.iter_parts())
    if [p.get_content_type() for p in parts] != ["text/plain", "text/html"]:
        return [f"parts {[p.get_content_type() for p in parts]}, expected the plain text "
                "first, then the HTML"]
    problems = [f"{p.get_content_type()} in {p.get_content_charset()}, not utf-8"
                for p in parts if p.get_content_charset() != "utf-8"]
    text, page = (p.get_content().replace("\r\n", "\n") for p in parts)
    found = _Html()
    found.feed(page)
    if found.lang != "sv":
        problems.append(f'<html lang="{found.lang}">, expected lang="sv"')
    if found.title.strip() != mail["Subject"]:
        problems.append(f"title {found.title.strip()!r} is not the subject {mail['Subject']!r}")
    levels = [level for level, _ in found.headings]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} H1 headings, expected one: {found.headings}")
    if any(after > before + 1 for before, after in zip(levels, levels[1:])):
        problems.append(f"a heading level skipped: {found.headings}")
    for href, label in found.links:
        if not label or label.lower() in VAGUE or URL.fullmatch(label):
            problems.append(f"the link to {href} says {label!r}: not where it leads")
        if href not in text:
            problems.append(f"the plain text lacks the link {href} ({label})")
    problems += [f"an image without alt text ({alt!r})" for alt in found.images if not alt]
    html_words, text_words = words(" ".join(found.text)), words(text)
    if html_words != text_words:
        at = next((i for i, (a, b) in enumerate(zip(html_words, text_words)) if a != b),
                  min(len(html_words), len(text_words)))
        problems.append("the plain text and the HTML say different things from word "
                        f"{at}: {' '.join(text_words[at:at + 8])!r} against "
                        f"{' '.join(html_words[at:at + 8])!r}")
    return problems


def test_every_message_is_readable_in_both_parts(built_example, smtp_server, tmp_path
                                                  ) -> None:
    # The words and tags do not depend on the database: SQLite only.
    url = f"sqlite:///{(tmp_path / 'notify.sqlite3').as_posix()}"
    import_on(built_example.root, url, write_roster(tmp_path / "personal.csv", ROSTER), JOINED)
    notifier = Notifier(built_example, url, smtp_server, RUTINPORTAL_OVERDUE_REMINDERS="2")
    captured = [mail for day in DAYS for mail in notifier.run(day)[1]]

    assert {mail["X-Rutinportalen"] for mail in captured} == KINDS
    problems = [f"{mail['X-Rutinportalen']} to {mail['To']} ({mail['Subject']}): {problem}"
                for mail in captured for problem in mail_problems(mail)]
    assert not problems, "\n".join(problems)


def test_the_check_names_what_is_wrong() -> None:
    """A message that fails every rule: each failure is named (the check can fail)."""
    html = ('<!DOCTYPE html><html lang="en"><head><title>Något annat</title></head><body>'
            '<h2>Nytt att göra</h2><p>Läs rutinen: <a href="https://rutiner.example/a/">'
            'klicka här</a>.</p><img src="cid:logo"></body></html>')
    text = "Nytt att göra\n\nLäs rutinen snart.\n"
    mail = mime_message("anna@example.org", "rutiner@example.org", "Nytt att göra", text,
                        html, "<1@example.org>", dt.datetime(2026, 12, 1, 7, 0), "digest")
    assert mail_problems(mail) == [
        '<html lang="en">, expected lang="sv"',
        "title 'Något annat' is not the subject 'Nytt att göra'",
        "0 H1 headings, expected one: [(2, 'Nytt att göra')]",
        "the link to https://rutiner.example/a/ says 'klicka här': not where it leads",
        "the plain text lacks the link https://rutiner.example/a/ (klicka här)",
        "an image without alt text (None)",
        "the plain text and the HTML say different things from word 5: 'snart' against "
        "'klicka här'",
    ]
