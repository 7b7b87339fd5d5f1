"""The `Problem` record that every validator returns, `ValidationFailed` that lists them all,
and how paths are shown to the user.

Validators never raise on bad input: they collect `Problem`s so that everything wrong in the
repository is reported at once. The caller decides to abort by raising `ValidationFailed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import UserError


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


class ValidationFailed(UserError):
    """The content has problems; `problems` lists all of them."""

    status_code = 422

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.key or ""))
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem hittades. Rätta dem och försök igen.")
        super().__init__("\n".join(lines))
