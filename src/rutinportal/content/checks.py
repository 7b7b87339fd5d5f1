"""Checks across files: references between documents, quizzes and the organisation; the
approval record against the snapshots; links to documents that are not published.

Each check returns `Problem`s (and `approvals` also warnings); none raises on bad content.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from .documents import Kind, Status, WorkingCopy
from .hashing import BODY, QUIZ_FILE
from .links import RETIRED_NOTE, UNPUBLISHED_NOTE, document_links
from .organisation import Course, Organisation
from .problems import Problem
from .publications import Publication, site_path
from .quizzes import Quiz
from .snapshots import SNAPSHOT_DIR, Snapshot, changed_since


def references(root: Path, documents: Mapping[str, WorkingCopy], quizzes: Mapping[str, Quiz],
               organisation: Organisation, courses: Sequence[Course],
               known: Sequence[Problem]) -> list[Problem]:
    """Audiences, related documents, quizzes and courses named by the documents exist.

    `known` are the problems found so far, so that a key is not reported twice."""
    problems: list[Problem] = []
    audiences = organisation.audiences
    course_ids = {c.id for c in courses}
    referenced: dict[str, list[str]] = {}
    for doc in documents.values():
        content = doc.content
        if doc.broken:  # only its id, quiz and related are known; its YAML error is reported
            if content.quiz:
                referenced.setdefault(content.quiz, []).append(doc.id)
            continue
        for audience in content.audience:
            if audience not in audiences:
                problems.append(Problem(
                    doc.shown, doc.line("audience"), "audience",
                    f"förväntade ett målgrupps-id ur organisation.yml, fick '{audience}'"))
        if content.decided_by and organisation.body(content.decided_by) is None:
            problems.append(Problem(
                doc.shown, doc.line("decided_by"), "decided_by",
                "förväntade id för ett beslutande organ i organisation.yml "
                f"({organisation.body_ids}), fick '{content.decided_by}'"))
        for other in content.related:
            if other not in documents:
                problems.append(Problem(
                    doc.shown, doc.line("related"), "related",
                    f"förväntade id för ett befintligt dokument, fick '{other}'"
                    + _did_you_mean(other, documents)))
            elif other == doc.id:
                problems.append(Problem(
                    doc.shown, doc.line("related"), "related",
                    "förväntade id för ett annat dokument, fick dokumentets eget id"))
        if content.quiz:
            referenced.setdefault(content.quiz, []).append(doc.id)
            if content.quiz not in quizzes and not (
                    root / "quizzes" / f"{content.quiz}.yml").exists():
                problems.append(Problem(
                    doc.shown, doc.line("quiz"), "quiz",
                    f"förväntade id för ett kunskapstest i quizzes/, fick '{content.quiz}'"
                    + _did_you_mean(content.quiz, quizzes)))
        if doc.kind is Kind.TRAINING:
            parts = PurePosixPath(doc.shown).parts
            course = parts[2] if len(parts) > 3 else None
            if course not in course_ids:
                problems.append(Problem(
                    doc.shown, None, None,
                    "förväntade att modulen ligger i en kursmapp som finns i courses.yml "
                    f"({', '.join(sorted(course_ids)) or 'inga kurser'}), fick "
                    f"'{course or 'docs/utbildning/'}'"))
            for key in ("order", "minutes"):
                if getattr(content, key) is None and not any(
                        p.path == doc.shown and p.key == key
                        for p in [*known, *problems]):
                    problems.append(Problem(
                        doc.shown, doc.line("id"), key,
                        "saknas, förväntade ett heltal för en utbildningsmodul"))
        else:
            for key in ("order", "minutes"):
                if getattr(content, key) is not None:
                    problems.append(Problem(
                        doc.shown, doc.line(key), key,
                        f"används bara för utbildningsmoduler, inte för en {doc.kind.label}"))
    for course in courses:
        for audience in course.audience:
            if audience not in audiences:
                problems.append(Problem(
                    "courses.yml", None, f"{course.id}.audience",
                    f"förväntade ett målgrupps-id ur organisation.yml, fick '{audience}'"))
    return problems + check_references(quizzes, referenced)


def _did_you_mean(wrong: str, known) -> str:
    close = difflib.get_close_matches(wrong, list(known), n=1)
    return f" (menade du {close[0]}?)" if close else ""


def approvals(documents: Mapping[str, WorkingCopy], snapshots: Mapping[str, list[Snapshot]],
              known: Sequence[Problem], quizzes: Mapping[str, Quiz],
              quiz_texts: Mapping[str, str]) -> tuple[list[Problem], list[Problem]]:
    """Each working copy's approval record agrees with its snapshots: (problems, warnings)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for doc_id, versions in snapshots.items():
        if doc_id not in documents:
            latest = versions[-1]
            problems.append(Problem(
                latest.shown, None, None,
                f"godkänd version av {doc_id} finns men arbetskopian {latest.source} saknas; "
                "förväntade arbetskopian (upphäv dokumentet med rutinportal retire i stället "
                "för att ta bort filen)"))
    for doc in documents.values():
        if doc.broken:
            continue
        versions = snapshots.get(doc.id, [])
        latest = versions[-1] if versions else None
        recorded = doc.approved_sha256
        if latest is None:
            if any(p.path.startswith(f"{SNAPSHOT_DIR}/{doc.id}/") for p in known):
                continue  # its snapshot is broken: that problem is already reported
            if recorded or doc.approval.approved_on:
                key = "approved_sha256" if recorded else "approved_on"
                problems.append(Problem(
                    doc.shown, doc.line(key), key,
                    f"godkännande finns men ingen godkänd version; förväntade filen "
                    f"{SNAPSHOT_DIR}/{doc.id}/v{doc.content.version}.md"))
            elif doc.status is Status.APPROVED:
                problems.append(Problem(
                    doc.shown, doc.line("status"), "status",
                    "förväntade draft eller submitted: dokumentet har ingen godkänd version; "
                    "använd rutinportal submit och rutinportal approve"))
            continue
        if recorded and recorded != latest.sha256:
            problems.append(Problem(
                doc.shown, doc.line("approved_sha256"), "approved_sha256",
                f"förväntade kontrollsumman för {latest.shown}, fick en annan; "
                "godkännandet får inte ändras för hand"))
        if not recorded:
            problems.append(Problem(
                doc.shown, doc.line("id"), "approved_sha256",
                f"saknas, förväntade kontrollsumman för {latest.shown}"))
        version, status = doc.content.version, doc.status
        if version:
            if status is Status.APPROVED and version != latest.version:
                problems.append(Problem(
                    doc.shown, doc.line("version"), "version",
                    f"förväntade {latest.version} (den godkända versionen), fick {version}"))
            elif status in (Status.DRAFT, Status.SUBMITTED) and version <= latest.version:
                problems.append(Problem(
                    doc.shown, doc.line("version"), "version",
                    f"förväntade minst {latest.version + 1} eftersom version "
                    f"{latest.version} redan är godkänd, fick {version}"))
        content = doc.content
        if status is Status.APPROVED and content.title and content.audience:
            quiz_text = quiz_texts.get(content.quiz) if content.quiz else None
            changed = changed_since(latest, content, doc.body, quiz_text)
            if QUIZ_FILE in changed and quiz_text is not None:
                quiz_path = quizzes[content.quiz].path if content.quiz in quizzes else \
                    f"quizzes/{content.quiz}.yml"
                warnings.append(Problem(
                    doc.shown, doc.line("quiz"), "quiz",
                    f"kunskapstestet {quiz_path} har ändrats sedan version {latest.version} "
                    "godkändes; ändringen publiceras inte (webbplatsen och rättningen använder "
                    f"den godkända quizen) – kör rutinportal revise {doc.id} och skicka den "
                    "nya versionen för beslut"))
            others = [k for k in changed if k != QUIZ_FILE]
            if others:
                what = "texten" if BODY in others else (
                    "nyckeln " if len(others) == 1 else "nycklarna ") + ", ".join(others)
                warnings.append(Problem(
                    doc.shown, doc.line("status"), "status",
                    f"{what} har ändrats sedan version {latest.version} godkändes; "
                    "ändringen publiceras inte – kör rutinportal revise "
                    f"{doc.id} och skicka den nya versionen för beslut"))
    return problems, warnings


def links(root: Path, documents: Mapping[str, WorkingCopy], published: Sequence[Publication]
          ) -> tuple[list[Problem], list[Problem]]:
    """Links to documents that are not published: (problems, warnings).

    From a published page it is a warning (the page still builds: the link becomes its text
    and a note, `links.without_links_to`); from a hand-written page, which anyone may edit,
    an error. The site engine only logs such links at INFO level, so `--strict` would not
    catch them.
    """
    targets = unpublished_targets(documents, published)
    warnings = []
    for pub in published:
        first_line = pub.body_line
        for found in document_links(pub.site_path, pub.body, targets):
            doc = targets[found.target]
            state = "har upphävts" if doc.status is Status.RETIRED else "är inte publicerat"
            warnings.append(Problem(
                pub.source, first_line + found.link.line - 1, None,
                f"länken till {found.link.url} leder till {doc.id} som {state}; på webbplatsen "
                f"visas länktexten utan länk med noten {_note(doc)} – ta bort länken i nästa "
                "version"))
    problems = []
    docs_dir = root / "docs"
    controlled = tuple(k.folder + "/" for k in Kind)
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if rel.startswith(controlled):
            continue
        page = path.relative_to(docs_dir).as_posix()
        for found in document_links(page, path.read_text(encoding="utf-8"), targets):
            doc = targets[found.target]
            problems.append(Problem(
                rel, found.link.line, None,
                f"länken till {found.link.url} leder till {doc.id} som inte är publicerat; "
                "förväntade en länk till ett godkänt dokument (ändra eller ta bort länken)"))
    return problems, warnings


def _note(doc: WorkingCopy) -> str:
    return RETIRED_NOTE if doc.status is Status.RETIRED else UNPUBLISHED_NOTE


def unpublished_targets(documents: Mapping[str, WorkingCopy],
                        published: Sequence[Publication]) -> dict[str, WorkingCopy]:
    """Site path → working copy, for every controlled document that is not published."""
    published_paths = {p.site_path for p in published}
    return {path: doc for doc in documents.values()
            if (path := site_path(doc.kind, doc.shown)) not in published_paths}


def unpublished_notes(documents: Mapping[str, WorkingCopy],
                      published: Sequence[Publication]) -> dict[str, str]:
    """Site path → the note a link to it becomes (for `links.without_links_to`)."""
    return {path: _note(doc) for path, doc in unpublished_targets(documents, published).items()}


def check_references(quizzes: Mapping[str, Quiz], referenced: Mapping[str, list[str]]
                     ) -> list[Problem]:
    """Each quiz belongs to exactly one document (`referenced`: quiz id -> document ids).

    Exactly one, because a passed quiz counts for the document that links to it.
    """
    problems = []
    for quiz_id, quiz in sorted(quizzes.items()):
        where = quiz.path or quiz_id
        users = sorted(set(referenced.get(quiz_id) or []))
        if not users:
            problems.append(Problem(where, None, None, (
                f"quizen används inte av något dokument; lägg till quiz: {quiz_id} "
                "i ett dokument eller ta bort filen")))
        elif len(users) > 1:
            problems.append(Problem(where, None, None, (
                f"förväntade att ett enda dokument har quiz: {quiz_id}, fick "
                f"{len(users)} ({', '.join(users)})")))
    return problems
