"""The work of one measured subprocess; prints one JSON line with seconds and peak memory.

    python -m bench.child build ROOT SITE      our build (rutinportal.site.build.build_site)
    python -m bench.child floor CONFIG SITE    plain ProperDocs + mkdocs-material on an
                                               already written config
    python -m bench.child floor-prepare ROOT FLOOR
                                               write the generated floor: our generated pages'
                                               sources as plain files, config without hooks
    python -m bench.child plain-prepare ROOT FLOOR
                                               write the plain floor: each routine's approved
                                               file as a plain page, the project's config
                                               without hooks (what a coordinator compares with)

Imports happen before the clock starts, the same for both builds, so the times compare the
builds and not the interpreter's start-up. Peak memory is this process's ru_maxrss.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

import properdocs.commands.build  # noqa: F401  (imported before the clock for both builds)
import properdocs.config  # noqa: F401
import properdocs.replacement  # noqa: F401  (mkdocs-material imports `mkdocs.*`)
import yaml

FLOOR_CONFIG = "mkdocs.yml"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def build_ours(root: Path, site: Path) -> dict:
    from rutinportal.site.build import build_site

    start = time.perf_counter()
    build_site(root, site)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(),
            "pages": sum(1 for _ in site.rglob("index.html"))}


def build_floor(config_file: Path, site: Path) -> dict:
    import logging

    from properdocs.commands.build import build
    from properdocs.config import load_config

    # As our build (and the engine's command line) does: the theme logs as `mkdocs.*`, and
    # its warnings must count in strict mode.
    logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
    start = time.perf_counter()
    build(load_config(str(config_file), site_dir=str(site)))
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(),
            "pages": sum(1 for _ in site.rglob("index.html"))}


def _write(docs: Path, src_uri: str, content: str | bytes) -> None:
    target = docs / src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


def _hand_written(root: Path, config: dict, docs: Path, skip: set[str]) -> None:
    """The hand-written pages of docs/ (controlled documents are never plain pages)."""
    from rutinportal.site import engine

    source_docs = root / config.get("docs_dir", "docs")
    for path in source_docs.rglob("*"):
        rel = path.relative_to(source_docs).as_posix()
        controlled = rel.endswith(".md") and rel.startswith(engine.CONTROLLED_IN_DOCS)
        if path.is_file() and not controlled and rel not in skip:
            _write(docs, rel, path.read_bytes())


def prepare_floor(root: Path, floor: Path) -> dict:
    """The generated floor: what our build hands the engine, as plain files, without hooks.

    Each page is the source `rutinportal.site.pages.generate` makes (front-matter and the
    Markdown the engine converts); the HTML our theme template draws around it needs the
    hook, so it is not in this floor. Our two assets are copied as the engine serves them.
    """
    from rutinportal.content.catalogue import validate
    from rutinportal.site import pages
    from rutinportal.site.context import SiteContext

    context = SiteContext(validate(root, preview=False), dt.date.today())
    generated = pages.generate(context)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = floor / "docs"
    _hand_written(root, config, docs, set(generated))
    for src_uri, page in generated.items():
        _write(docs, src_uri, page.source())
    _write_config(root, floor, config, docs)
    return {"pages": len(generated), "config": str(floor / FLOOR_CONFIG)}


def prepare_plain(root: Path, floor: Path) -> dict:
    """The plain floor: every routine's latest approved file (front-matter and text) as a
    plain page in rutiner/, the hand-written pages, and the project's own config less the
    hooks: the same theme, extensions, search and tags, routines not in the nav.

    The generated pages the nav names do not exist here, so the nav keeps only the pages
    that do, and the build is not strict (links from the start page to generated pages
    would fail it; strictness changes only the exit code, not the work).
    """
    from rutinportal.content.snapshots import load_snapshots

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = floor / "docs"
    _hand_written(root, config, docs, set())
    snapshots, problems = load_snapshots(root)
    assert not problems, problems
    for versions in snapshots.values():
        latest = versions[-1]
        _write(docs, f"rutiner/{Path(latest.source).name}",
               latest.path.read_text(encoding="utf-8"))
    config["nav"] = [entry for entry in config.get("nav", [])
                     if (docs / next(iter(entry.values()))).is_file()]
    config["strict"] = False
    _write_config(root, floor, config, docs)
    return {"pages": len(snapshots), "config": str(floor / FLOOR_CONFIG)}


def _write_config(root: Path, floor: Path, config: dict, docs: Path) -> None:
    """The project's config for a floor: no hooks, our assets as ordinary files."""
    from rutinportal.site import engine, own_assets

    for name in own_assets.NAMES:
        _write(docs, f"{engine.ASSET_DIR}/{own_assets.file_name(name)}", own_assets.served(name))
    config.pop("hooks", None)
    config.pop("watch", None)
    # The settings our engine puts in the config of a production build (`engine.attach`).
    config.setdefault("extra", {})[engine.SETTINGS_KEY] = {
        "preview": False, "script": f"{engine.ASSET_DIR}/{own_assets.file_name(own_assets.JS)}"}
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(floor / "site")
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    config["extra_css"] = [*config.get("extra_css", []),
                           f"{engine.ASSET_DIR}/{own_assets.file_name(own_assets.CSS)}"]
    (floor / FLOOR_CONFIG).write_text(yaml.safe_dump(config, allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "build":
        result = build_ours(Path(args[0]), Path(args[1]))
    elif command == "floor":
        result = build_floor(Path(args[0]), Path(args[1]))
    elif command == "floor-prepare":
        result = prepare_floor(Path(args[0]), Path(args[1]))
    elif command == "plain-prepare":
        result = prepare_plain(Path(args[0]), Path(args[1]))
    else:
        print(f"unknown command {command}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
