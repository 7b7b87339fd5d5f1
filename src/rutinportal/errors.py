"""The small exception tree and the `Problem` record that every validator returns.

Validators never raise on bad input: they collect `Problem`s so that everything wrong in the
repository is reported at once. The caller decides to abort by raising `ValidationFailed`.
User errors (`UserError` and subclasses) become clean Swedish messages and exit code 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: `path:line: key: message`."""

    path: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@lru_cache(maxsize=32)
def _resolved_root(root: Path) -> Path:
    # Resolving walks every component of the path; the root is the same for every file.
    return root.resolve()


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as the user should see it: relative to the repository root when possible."""
    path = Path(path)
    if root is not None:
        root = Path(root)
        base = _resolved_root(root) if root.is_absolute() else root.resolve()
        try:
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()


class UserError(Exception):
    """A mistake the user can fix; shown without traceback, exit code 1."""

    exit_code = 1


class ValidationFailed(UserError):
    """The content has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.key or ""))
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem hittades. Rätta dem och försök igen.")
        super().__init__("\n".join(lines))


class LifecycleError(UserError):
    """An illegal status transition (e.g. approving a draft that was never submitted)."""


class BuildError(UserError):
    """The site could not be built; the previous site is left untouched."""
