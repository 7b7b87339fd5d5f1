"""The built site the portal serves, followed across builds without a restart.

`rutinportal build` points `site` (a symbolic link) at a new, complete build in one rename.
Each portal process looks at most once a second (one `stat` of `catalog.json` through the
link) whether the build it serves is still the current one; when not, it loads the new build
whole — `catalog.json`, the quizzes it lists, the script hashes of `csp.json` — and only then
switches to it, files and catalogue together. Requests meanwhile keep being answered from the
previous build, which the build keeps on disk. A folder given with `--site-dir` that is not a
link is followed the same way (its `catalog.json` changing).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .published import Published, load_published

log = logging.getLogger("rutinportal.portal")

CHECK_EVERY = 1.0  # seconds between two looks at the build, per process
CSP_FILE = "csp.json"  # written by the build (rutinportal.site.csp)


@dataclass(frozen=True)
class Site:
    """One build, loaded whole: where its files are and what it publishes."""

    directory: Path  # the build's own folder (the link resolved)
    published: Published
    script_hashes: tuple[str, ...]  # the build's own inline scripts, for the CSP
    marker: tuple  # what identifies this build on disk


def _marker(site_dir: Path) -> tuple:
    directory = site_dir.resolve()
    stat = (directory / "catalog.json").stat()
    return (str(directory), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def script_hashes(directory: Path) -> tuple[str, ...]:
    """The hashes the build wrote; none (inline scripts refused) when the file is missing."""
    path = directory / CSP_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.warning("%s is missing: inline scripts of the site will be refused (rebuild)", path)
        return ()
    hashes = data.get("script_hashes") if isinstance(data, dict) else None
    return tuple(h for h in hashes or () if isinstance(h, str) and h.startswith("'sha256-"))


def load_site(root: Path, site_dir: Path) -> Site:
    marker = _marker(site_dir)
    directory = Path(marker[0])
    published = load_published(root, directory)
    return Site(directory, published, script_hashes(directory), marker)


class LiveSite:
    """The current build for this process; `current()` is cheap and switches when needed."""

    def __init__(self, root: Path, site_dir: Path,
                 loader: Callable[[Path, Path], Site] = load_site,
                 clock: Callable[[], float] = time.monotonic):
        self.root, self.site_dir = root, site_dir
        self._load, self._clock = loader, clock
        self._site = loader(root, site_dir)  # errors here stop the start: nothing to serve
        self._checked = clock()
        self._lock = threading.Lock()
        self._refused: tuple | None = None  # a build that could not be loaded: not retried

    @property
    def last(self) -> Site:
        """The build as last looked at, without looking again (for code on the event loop,
        where loading a new build would hold up every request)."""
        return self._site

    def due(self) -> bool:
        """Whether `current()` would look at the build now (else it returns `last`)."""
        return self._clock() - self._checked >= CHECK_EVERY

    def current(self) -> Site:
        now = self._clock()
        if now - self._checked < CHECK_EVERY or not self._lock.acquire(blocking=False):
            return self._site  # another request of this process is looking already
        try:
            self._checked = now
            self._follow()
        finally:
            self._lock.release()
        return self._site

    def _follow(self) -> None:
        marker = None
        try:
            marker = _marker(self.site_dir)
            if marker in (self._site.marker, self._refused):
                return
            site = self._load(self.root, self.site_dir)
        except Exception:  # noqa: BLE001 - a bad build must not stop the good one being served
            self._refused = marker
            log.exception("The new build in %s could not be loaded; still serving %s",
                          self.site_dir, self._site.directory)
            return
        self._site = site  # one assignment: a request sees the old build or the new one
        log.info("Serving the build in %s", site.directory)
