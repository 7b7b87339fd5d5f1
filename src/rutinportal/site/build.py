"""Build the site with the engine, atomically: a failed build leaves the previous site untouched.

Every build goes into a folder of its own, `.rutinportal-builds/<name>-<stamp>/` beside the
target, and the target (`site`) is a symbolic link to the newest one, replaced in one rename:
a reader (a web server, every portal process) sees the previous build or the new one, whole,
never a half-written site and never none. The previous build is kept, so a portal process
that has not switched yet can still serve it; older ones are removed. Before it is published,
every text file of a build gets its compressed copies beside it (`precompress`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from pathlib import Path

from ..content.catalogue import validate
from ..errors import BuildError
from .precompress import precompress

CONFIG_FILE = "mkdocs.yml"
BUILDS = ".rutinportal-builds"
KEEP = 2  # the current build and the one before it


def default_site_dir(root: Path, preview: bool) -> Path:
    return root / ("site-preview" if preview else "site")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path | None = None, preview: bool = False) -> Path:
    """Validate once, build into a folder of its own, then point the target at it."""
    import properdocs.replacement  # noqa: F401  (mkdocs-material imports `mkdocs.*`)
    from properdocs.commands.build import build
    from properdocs.config import load_config
    from properdocs.exceptions import ProperDocsException

    from . import engine

    root = Path(root).resolve()
    validated = validate(root, preview)
    # The link itself, not where it points: `site` is a link to the current build.
    target = _unresolved(Path(site_dir)) if site_dir else default_site_dir(root, preview)
    if preview and target == default_site_dir(root, False):
        raise BuildError("En förhandsvisning får inte byggas till den publicerade webbplatsens "
                         f"mapp ({target}); välj en annan --site-dir")
    builds = target.parent / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    staging = builds / f"{target.name}-{stamp}-{os.getpid()}"
    collector = _Collect()
    logger = logging.getLogger("properdocs")
    # As the engine's own command line does: the theme logs as `mkdocs.*`, and its warnings
    # must count (strict mode) and reach our message.
    logging.getLogger("mkdocs").parent = logger
    logger.addHandler(collector)
    try:
        config = load_config(str(root / CONFIG_FILE), site_dir=str(staging))
        engine.attach(config, validated)
        build(config)
        precompress(staging, _current_build(target))
    except (ProperDocsException, SystemExit) as exc:
        _discard(staging, builds)
        details = "\n".join(dict.fromkeys(collector.messages)) or str(exc)
        raise BuildError(f"Bygget misslyckades; den tidigare webbplatsen är orörd.\n{details}") \
            from None
    except BaseException:
        _discard(staging, builds)
        raise
    finally:
        logger.removeHandler(collector)
    publish(target, staging)
    return target


def _current_build(target: Path) -> Path | None:
    """The build `target` serves now, if any (its compressed copies can be reused)."""
    if target.is_symlink() or target.is_dir():
        current = target.resolve()
        return current if current.is_dir() else None
    return None


def _unresolved(path: Path) -> Path:
    return path.absolute().parent.resolve() / path.name


def _discard(staging: Path, builds: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    try:
        builds.rmdir()  # only when empty: no build was ever published here
    except OSError:
        pass


def publish(target: Path, build_dir: Path) -> None:
    """Point `target` at `build_dir` in one atomic rename; keep the build before it."""
    previous = target.resolve() if target.is_symlink() else None
    link = build_dir.parent / f".link-{os.getpid()}"
    link.unlink(missing_ok=True)
    # Relative: the repository (or the site's parent folder) can move and the link holds.
    os.symlink(os.path.relpath(build_dir, target.parent), link)
    if target.is_dir() and not target.is_symlink():
        # A site built before builds were versioned: a plain folder, moved aside once (a
        # rename cannot replace a folder with a link).
        previous = build_dir.parent / f"{target.name}-earlier-{os.getpid()}"
        os.replace(target, previous)
    os.replace(link, target)
    keep = {build_dir.resolve(), previous.resolve() if previous else None}
    # Only this target's builds: `site-…` must not match `site-preview-…`.
    mine = re.compile(rf"{re.escape(target.name)}-(\d{{8}}T\d+Z|earlier)-\d+")
    for old in sorted(build_dir.parent.iterdir()):
        if mine.fullmatch(old.name) and old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)
