"""The work of one measured subprocess; prints one JSON line with seconds and peak memory.

    python -m bench.child build ROOT SITE      our build (rutinportal.site.build.build_site)
    python -m bench.child floor CONFIG SITE    plain ProperDocs + mkdocs-material on an
                                               already written config
    python -m bench.child floor-prepare ROOT FLOOR
                                               write the floor: our generated pages as plain
                                               Markdown files and a config without our hooks

Imports happen before the clock starts, the same for both builds, so the times compare the
builds and not the interpreter's start-up. Peak memory is this process's ru_maxrss.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import shutil
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


def prepare_floor(root: Path, floor: Path) -> dict:
    """The same Markdown as our build renders, as plain files, with the same config less hooks.

    The pages come from `rutinportal.site.pages.generate`, exactly as the engine's `on_config`
    makes them; our two assets are copied as ordinary files and listed in extra_css and
    extra_javascript as the engine lists them. Theme, custom_dir, plugins, markdown
    extensions, validation and the explicit nav (no per-routine entries) are unchanged.
    """
    from importlib.resources import files as package_files

    from rutinportal.content.catalogue import validate
    from rutinportal.site import engine, pages
    from rutinportal.site.context import SiteContext

    context = SiteContext(validate(root, preview=False), dt.date.today())
    generated = pages.generate(context)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    source_docs = root / config.get("docs_dir", "docs")
    docs = floor / "docs"
    for path in source_docs.rglob("*"):
        rel = path.relative_to(source_docs).as_posix()
        controlled = rel.endswith(".md") and rel.startswith(engine.CONTROLLED_IN_DOCS)
        if path.is_file() and not controlled and rel not in generated:
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    for src_uri, content in generated.items():
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    assets = package_files("rutinportal.site") / "assets"
    for name in engine.ASSETS:
        target = docs / engine.ASSET_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((assets / name).read_bytes())
    config.pop("hooks", None)
    config.pop("watch", None)
    # The settings our engine puts in the config of a production build (`engine.attach`).
    config.setdefault("extra", {})[engine.SETTINGS_KEY] = {"preview": False}
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(floor / "site")
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    config["extra_css"] = [*config.get("extra_css", []),
                           f"{engine.ASSET_DIR}/rutinportal.css"]
    config["extra_javascript"] = [*config.get("extra_javascript", []),
                                  f"{engine.ASSET_DIR}/rutinportal.js"]
    (floor / FLOOR_CONFIG).write_text(yaml.safe_dump(config, allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    return {"pages": len(generated), "config": str(floor / FLOOR_CONFIG)}


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "build":
        result = build_ours(Path(args[0]), Path(args[1]))
    elif command == "floor":
        result = build_floor(Path(args[0]), Path(args[1]))
    elif command == "floor-prepare":
        result = prepare_floor(Path(args[0]), Path(args[1]))
    else:
        print(f"unknown command {command}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
