"""The one-time migration to snapshots that bind every key (`rutinportal snapshots rehash`).

Snapshots written before this release were bound by a hash over title, audience and body
only, and their quiz was read from the editable `quizzes/` file. The migration rewrites every
such snapshot with the hash over all its keys, freezes the quiz it names (as it is in
`quizzes/` today: the best record there is of what was approved) beside it, and updates the
working copies' `approved_sha256`. It refuses to run, changing nothing, while any snapshot
does not match its current hash: a changed approved text must be restored first, not
blessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.catalogue import QUIZ_DIR
from ..content.documents import (Approval, Content, WorkingCopyFields, find_working_copies)
from ..content.hashing import content_sha256
from ..content.problems import Problem, display_path
from ..content.quizzes import load_quiz
from ..content.snapshots import (SNAPSHOT_DIR, SnapshotFields, frozen_quiz_path,
                                 read_snapshot)
from ..content.yamlsource import YamlSyntaxError, read_front_matter
from ..errors import UserError
from .frontmatter_edit import update_front_matter
from .writing import atomic_write, render_snapshot


@dataclass
class Plan:
    """What the migration writes: file → new text; and what is already bound."""

    writes: dict[Path, str] = field(default_factory=dict)
    snapshots: int = 0
    quizzes: int = 0
    working_copies: int = 0
    already: int = 0


def _legacy(path: Path, root: Path, plan: Plan, new_sha: dict[str, str]) -> list[Problem]:
    shown = display_path(path, root)
    try:
        source = read_front_matter(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        return [Problem(shown, exc.line, None, exc.detail)]
    values, problems = SnapshotFields.validate(source.meta, shown)
    if problems:
        return problems
    if values.get("fingerprints") is not None:
        _, problems = read_snapshot(path, root)
        if not problems:
            plan.already += 1
        return problems
    content = Content.from_values(values)
    if content_sha256(content.title, content.audience, source.body) != values["sha256"]:
        return [Problem(shown, source.meta.line("sha256"), "sha256", (
            "texten stämmer inte med den godkända kontrollsumman; återställ filen (git "
            "checkout) innan migreringen"))]
    quiz_text = None
    if content.quiz:
        quiz_file = root / QUIZ_DIR / f"{content.quiz}.yml"
        quiz_shown = display_path(quiz_file, root)
        if not quiz_file.is_file():
            return [Problem(shown, source.meta.line("quiz"), "quiz",
                            f"kunskapstestet {quiz_shown} saknas och kan inte frysas")]
        quiz, quiz_problems = load_quiz(quiz_file, quiz_shown)
        if quiz_problems:
            return quiz_problems
        quiz_text = quiz_file.read_text(encoding="utf-8")
        plan.writes[frozen_quiz_path(root, content.id, content.version)] = quiz_text
        plan.quizzes += 1
    text, sha = render_snapshot(content, Approval.from_values(values), values["source"],
                                source.body, quiz_text)
    plan.writes[path] = text
    plan.snapshots += 1
    new_sha[values["sha256"]] = sha
    return []


def plan_rehash(root: Path) -> Plan:
    """Everything the migration would write; raises `UserError` (naming every snapshot that
    does not match its hash) when it must not run."""
    plan, problems, new_sha = Plan(), [], {}
    base = root / SNAPSHOT_DIR
    for path in sorted(base.glob("*/*.md")) if base.is_dir() else []:
        problems += _legacy(path, root, plan, new_sha)
    if problems:
        lines = "\n".join(str(p) for p in sorted(problems, key=lambda p: (p.path, p.line or 0)))
        raise UserError(f"{lines}\nMigreringen körs inte när en godkänd version inte stämmer "
                        "med sin kontrollsumma. Ingenting har ändrats.")
    for path, _ in find_working_copies(root):
        text = path.read_bytes().decode("utf-8")
        try:
            source = read_front_matter(text)
        except YamlSyntaxError:
            continue  # `rutinportal check` reports it; its record is not ours to guess
        values, _ = WorkingCopyFields.validate(source.meta, display_path(path, root))
        recorded = values.get("approved_sha256")
        if recorded in new_sha:
            plan.writes[path] = update_front_matter(text, {"approved_sha256": new_sha[recorded]})
            plan.working_copies += 1
    return plan


def rehash(root: Path, confirm: bool) -> Plan:
    plan = plan_rehash(root)
    if confirm:
        # Frozen quizzes first, then snapshots, then working copies (as approval writes).
        order = sorted(plan.writes, key=lambda p: (
            not p.name.endswith(".quiz.yml"),
            p.relative_to(root).parts[0] != SNAPSHOT_DIR, str(p)))
        for path in order:
            atomic_write(path, plan.writes[path])
    return plan
