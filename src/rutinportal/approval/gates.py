"""What must hold before a document is submitted or decided, checked before anything is
written: links lead only to published documents, the quiz is valid, the text is ready, the
deciding body exists and the decision date is not in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from ..content.catalogue import Catalogue
from ..content.documents import Kind, Status, WorkingCopy
from ..content.links import document_links
from ..content.organisation import DecisionBody
from ..content.problems import Problem
from ..content.publications import site_path
from ..content.readiness import readiness
from ..errors import UserError


def published_ids(catalogue: Catalogue) -> set[str]:
    return {p.id for p in catalogue.publications()}


def link_problems(catalogue: Catalogue, docs: Iterable[WorkingCopy], allowed: Collection[str],
                  why: str) -> list[Problem]:
    """Links in `docs` to documents that are not published and not in `allowed`."""
    by_path = {site_path(d.kind, d.shown): d for d in catalogue.documents.values()}
    published = published_ids(catalogue)
    problems = []
    for doc in docs:
        first = doc.source.body_line if doc.source else 1
        page = site_path(doc.kind, doc.shown)
        for found in document_links(page, doc.body, by_path):
            target = by_path[found.target]
            if target.id in published or target.id in allowed or target.id == doc.id:
                continue
            state = target.status.label.lower() if target.status else "felaktigt"
            problems.append(Problem(
                doc.shown, first + found.link.line - 1, None,
                f"länken till {found.link.url} leder till {target.id} ({state}) som inte är "
                f"publicerat; {why}"))
    return problems


def quiz_problems(catalogue: Catalogue, docs: Iterable[WorkingCopy]) -> list[Problem]:
    problems = []
    for doc in docs:
        quiz = doc.content.quiz
        if quiz and quiz not in catalogue.quizzes:
            problems.append(Problem(doc.shown, doc.line("quiz"), "quiz", (
                f"kunskapstestet {quiz} har fel eller saknas och kan inte godkännas med "
                "dokumentet; kör rutinportal check")))
    return problems


def ready_to_submit(catalogue: Catalogue, docs: list[WorkingCopy]) -> list[Problem]:
    together = {d.id for d in docs} | {d.id for d in catalogue.documents.values()
                                       if d.status is Status.SUBMITTED}
    problems = link_problems(catalogue, docs, together, (
        "förväntade en länk till ett godkänt dokument, eller skicka det länkade dokumentet "
        "för beslut samtidigt"))
    for doc in docs:
        problems += readiness(doc, catalogue.quizzes)
    return problems + quiz_problems(catalogue, docs)


def ready_to_approve(catalogue: Catalogue, docs: list[WorkingCopy]) -> list[Problem]:
    return link_problems(catalogue, docs, {d.id for d in docs}, (
        "förväntade en länk till ett godkänt dokument, eller godkänn det länkade dokumentet i "
        "samma beslut")) + quiz_problems(catalogue, docs)


def refuse(problems: list[Problem]) -> None:
    if problems:
        lines = "\n".join(str(p) for p in sorted(problems, key=lambda p: (p.path, p.line or 0)))
        raise UserError(f"{lines}\nIngenting har ändrats.")


def decision_date(on: dt.date | None, today: dt.date) -> dt.date:
    """The meeting's date (default today); a decision cannot be dated in the future."""
    if on is None:
        return today
    if on > today:
        raise UserError(f"--date: förväntade beslutsdatumet (mötets dag), senast i dag "
                        f"{today.isoformat()}, fick {on.isoformat()}. Ingenting har ändrats.")
    return on


def deciding_body(catalogue: Catalogue, by: str, docs: Iterable[WorkingCopy]) -> DecisionBody:
    """The known body named by `by` (id or name), which must be the one each document names
    in `decided_by` (when it names one)."""
    organisation = catalogue.organisation
    body = organisation.body(by)
    if body is None:
        names = "; ".join(f"{b.id} ({b.name})" for b in organisation.bodies) or \
            "inga: lägg till decision_bodies i organisation.yml"
        raise UserError(f"--by: förväntade ett beslutande organ ur organisation.yml, id eller "
                        f"namn: {names}; fick '{by}'. Ingenting har ändrats.")
    wrong = [d for d in docs if d.content.decided_by
             and organisation.body(d.content.decided_by) != body]
    if wrong:
        raise UserError("\n".join(
            f"{d.shown}: decided_by: {d.id} beslutas av {d.content.decided_by}, inte av "
            f"{body.id}" for d in wrong) + "\nIngenting har ändrats.")
    return body


def hand_written_links(catalogue: Catalogue, docs: Iterable[WorkingCopy]) -> list[Problem]:
    """Hand-written pages (docs/*.md) that link to `docs`: anyone may edit them, so they
    must be changed before the documents are retired (or the next build would fail)."""
    targets = {site_path(d.kind, d.shown): d for d in docs}
    docs_dir = catalogue.root / "docs"
    controlled = tuple(k.folder + "/" for k in Kind)
    problems = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        rel = path.relative_to(catalogue.root).as_posix()
        if rel.startswith(controlled):
            continue
        page = path.relative_to(docs_dir).as_posix()
        for found in document_links(page, path.read_text(encoding="utf-8"), targets):
            target = targets[found.target]
            problems.append(Problem(rel, found.link.line, None, (
                f"länken till {found.link.url} leder till {target.id}, som ska upphävas; ta "
                "bort eller ändra länken på sidan först")))
    return problems
