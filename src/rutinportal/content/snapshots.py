"""Approved snapshots, read: the exact approved text of every approved version.

`approved/<ID>/v<N>.md` holds the content keys, the approval record and the body exactly as
approved; `approved/<ID>/v<N>.quiz.yml` the quiz the document names, frozen with it. One
SHA-256 binds every key of the front-matter, the body and the frozen quiz
(`hashing.record_sha256`); `fingerprints` names what changed. The CLI writes them
(`approval.writing`); nobody edits them by hand. A snapshot that no longer matches its hash is
an error that names the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents import Approval, ApprovalFields, Content, ContentFields
from .hashing import (BODY, QUIZ_FILE, changed_parts, content_sha256, differing_parts,
                      record_sha256)
from .problems import Problem, display_path
from .quizzes import Quiz, load_quiz
from .schema import Field, Invalid, Pattern, Text
from .yamlsource import YamlSyntaxError, read_front_matter

SNAPSHOT_DIR = "approved"
_FILE = re.compile(r"v(\d+)\.md")
_FINGERPRINT = re.compile(r"[0-9a-f]{6,64}")
RESTORE = ("en godkänd version får inte ändras i efterhand – återställ filen (git checkout) "
           "eller godkänn en ny version")
REHASH = "rutinportal snapshots rehash --confirm"


class Fingerprints(Field):
    """`key=hash key=hash …` on one line: one YAML scalar, not a mapping of twenty (reading
    thousands of snapshots is most of what `check` does)."""

    expected = "en rad med key=kontrollsumma för varje nyckel"

    def clean(self, value: Any) -> dict[str, str]:
        if not isinstance(value, str):
            raise Invalid(self.expected, value)
        found = {}
        for item in value.split():
            key, sep, digest = item.partition("=")
            if not sep or not key or not _FINGERPRINT.fullmatch(digest):
                raise Invalid(self.expected, value)
            found[key] = digest
        return found

    @staticmethod
    def render(values: Mapping[str, str]) -> str:
        return " ".join(f"{k}={v}" for k, v in values.items())


class SnapshotFields(ContentFields, ApprovalFields):
    """Front-matter of an approved snapshot."""

    source = Text("Arbetskopians sökväg vid godkännandet.", required=True)
    fingerprints = Fingerprints("Skrivs av CLI: en kort kontrollsumma per nyckel, texten och "
                                "quizen, så att en ändring kan pekas ut.")
    sha256 = Pattern("Kontrollsumma (SHA-256) över alla nycklar, texten och den frysta quizen.",
                     r"[0-9a-f]{64}", "64 hexadecimala tecken", required=True)


UNHASHED = ("fingerprints", "sha256")


def record_parts(values: Mapping[str, Any], present: Iterable[str], body: str,
                 quiz_text: str | None) -> dict[str, Any]:
    """What the hash binds: every key written in the snapshot (in schema order), the body,
    and the frozen quiz when the snapshot names one."""
    keys = set(present)
    parts = {k: values[k] for k in SnapshotFields.fields if k in keys and k not in UNHASHED}
    parts[BODY] = body
    if values.get("quiz"):
        parts[QUIZ_FILE] = quiz_text
    return parts


@dataclass(frozen=True)
class Snapshot:
    """One approved version, exactly as approved."""

    path: Path
    shown: str
    content: Content
    approval: Approval
    source: str       # the working copy's path when it was approved
    sha256: str
    body: str
    sha256_line: int | None = None
    quiz: Quiz | None = None            # the frozen quiz, when the document names one
    quiz_text: str | None = None
    fingerprints: tuple[tuple[str, str], ...] = ()
    body_line: int = 1                  # where the body starts in the file

    @property
    def id(self) -> str:
        return self.content.id

    @property
    def version(self) -> int:
        return self.content.version


def snapshot_path(root: Path, doc_id: str, version: int) -> Path:
    return root / SNAPSHOT_DIR / doc_id / f"v{version}.md"


def frozen_quiz_path(root: Path, doc_id: str, version: int) -> Path:
    return root / SNAPSHOT_DIR / doc_id / f"v{version}.quiz.yml"


def _frozen_quiz(path: Path, shown: str, quiz_id: str
                 ) -> tuple[str | None, Quiz | None, list[Problem]]:
    if not path.is_file():
        return None, None, [Problem(shown, None, None, (
            f"den frysta quizen {quiz_id} saknas; förväntade filen som godkännandet skrev "
            f"(gamla godkännanden: kör {REHASH})"))]
    quiz, problems = load_quiz(path, shown, expected_id=quiz_id)
    return path.read_text(encoding="utf-8"), quiz, problems


def _changed(shown: str, quiz_shown: str, lines: Mapping[str, int | None], body_line: int,
             keys: list[str]) -> list[Problem]:
    problems = []
    for key in keys:
        if key == BODY:
            problems.append(Problem(shown, body_line, None,
                                    f"texten har ändrats efter godkännandet; {RESTORE}"))
        elif key == QUIZ_FILE:
            problems.append(Problem(quiz_shown, None, None,
                                    f"den frysta quizen har ändrats efter godkännandet; "
                                    f"{RESTORE}"))
        else:
            problems.append(Problem(shown, lines.get(key), key,
                                    f"värdet har ändrats efter godkännandet; {RESTORE}"))
    return problems


def read_snapshot(path: Path, root: Path) -> tuple[Snapshot | None, list[Problem]]:
    shown = display_path(path, root)
    try:
        source = read_front_matter(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, None, exc.detail)]
    values, problems = SnapshotFields.validate(source.meta, shown)
    if problems:
        return None, problems
    content = Content.from_values(values)
    match = _FILE.fullmatch(path.name)
    if path.parent.name != content.id or not match or int(match.group(1)) != content.version:
        return None, [Problem(shown, None, None,
                              f"förväntade filen {SNAPSHOT_DIR}/{content.id}/v{content.version}"
                              ".md för detta innehåll; godkända versioner får inte flyttas")]
    sha_line = source.meta.line("sha256")
    recorded = values.get("fingerprints")
    if recorded is None:  # written before every key was bound
        if content_sha256(content.title, content.audience, source.body) == values["sha256"]:
            return None, [Problem(shown, sha_line, "sha256", (
                "kontrollsumman är av det tidigare slaget, som bara binder titel, målgrupp och "
                f"text; kör {REHASH} en gång så binds alla nycklar och quizen"))]
        return None, [Problem(shown, sha_line, "sha256",
                              f"texten stämmer inte med den godkända kontrollsumman; {RESTORE}")]
    quiz_text, quiz = None, None
    quiz_file = frozen_quiz_path(root, content.id, content.version)
    quiz_shown = shown[:-len(".md")] + ".quiz.yml"  # beside it (display_path resolves: slow)
    if content.quiz:
        quiz_text, quiz, quiz_problems = _frozen_quiz(quiz_file, quiz_shown, content.quiz)
        if quiz_text is None:
            return None, quiz_problems
    parts = record_parts(values, source.meta.data, source.body, quiz_text)
    if record_sha256(parts) != values["sha256"]:
        keys = changed_parts(recorded, parts)
        lines = {k: source.meta.line(k) for k in parts}
        found = _changed(shown, quiz_shown, lines, source.body_line, keys)
        return None, found or [Problem(shown, sha_line, "sha256", (
            f"innehållet stämmer inte med den godkända kontrollsumman; {RESTORE}"))]
    if content.quiz and quiz is None:
        return None, quiz_problems
    snapshot = Snapshot(path, shown, content, Approval.from_values(values), values["source"],
                        values["sha256"], source.body, sha_line, quiz, quiz_text,
                        tuple(sorted(recorded.items())), source.body_line)
    return snapshot, []


def load_snapshots(root: Path) -> tuple[dict[str, list[Snapshot]], list[Problem]]:
    """Every snapshot by document id, oldest version first."""
    found: dict[str, list[Snapshot]] = {}
    problems: list[Problem] = []
    base = root / SNAPSHOT_DIR
    if not base.is_dir():
        return found, problems
    for path in sorted(base.glob("*/*.md")):
        snapshot, snapshot_problems = read_snapshot(path, root)
        problems += snapshot_problems
        if snapshot is not None:
            found.setdefault(snapshot.id, []).append(snapshot)
    for versions in found.values():
        versions.sort(key=lambda s: s.version)
    return found, problems


def content_parts(content: Content, body: str, quiz_text: str | None) -> dict[str, Any]:
    """What a version says (content keys, body, quiz), without its approval record: to tell
    whether a working copy still says what a snapshot says."""
    parts = {k: v for k in ContentFields.fields
             if (v := getattr(content, k)) not in (None, (), [], "")}
    parts[BODY] = body
    if content.quiz:
        parts[QUIZ_FILE] = quiz_text
    return parts


def changed_since(snapshot: Snapshot, content: Content, body: str,
                  quiz_text: str | None) -> list[str]:
    """The parts (keys, `body`, `quiz_file`) in which `content` differs from `snapshot`."""
    return differing_parts(content_parts(snapshot.content, snapshot.body, snapshot.quiz_text),
                           content_parts(content, body, quiz_text))
