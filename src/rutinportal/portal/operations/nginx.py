"""What nginx needs from a build to serve its files as the portal would: the CSP.

nginx serves the built site itself (deploy/nginx/rutinportal.conf). The pages' inline
scripts run only by their hashes in the Content-Security-Policy, and those hashes belong to
the build (`csp.json`, written by `rutinportal build`). So after every build the policy is
written as an nginx `map` (one variable, `$rutinportal_csp`), the very string the portal sends
(`web.headers.policy`), and nginx is reloaded (rutinportal-build.service does both).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError
from ..live_site import CSP_FILE
from ..web.headers import policy

VARIABLE = "$rutinportal_csp"


@dataclass(frozen=True)
class CspFile:
    path: Path
    build: Path            # the build's own folder (the site link resolved)
    hashes: tuple[str, ...]
    changed: bool          # False: the file said exactly this already


def script_hashes(site_dir: Path) -> tuple[Path, tuple[str, ...]]:
    """The build's folder and its inline-script hashes; a clear error without a build."""
    directory = site_dir.resolve()
    source = directory / CSP_FILE
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{site_dir / CSP_FILE}: filen finns inte. Bygg webbplatsen först "
                        "(rutinportal build).") from None
    except (OSError, ValueError) as exc:
        raise UserError(f"{site_dir / CSP_FILE}: kunde inte läsas ({exc}). Bygg webbplatsen "
                        "igen (rutinportal build).") from None
    hashes = data.get("script_hashes") if isinstance(data, dict) else None
    if not isinstance(hashes, list) or not all(isinstance(h, str) and h.startswith("'sha256-")
                                               for h in hashes):
        raise UserError(f"{site_dir / CSP_FILE}: script_hashes: förväntade en lista med "
                        f"'sha256-…', fick {hashes!r}. Bygg webbplatsen igen.")
    return directory, tuple(hashes)


def csp_map(site_dir: Path) -> tuple[str, Path, tuple[str, ...]]:
    """The nginx configuration text for the build in `site_dir`."""
    directory, hashes = script_hashes(site_dir)
    value = policy(hashes)
    # The policy has no double quote or backslash (self, hashes in base64, fixed words).
    assert '"' not in value and "\\" not in value
    text = (f"# Written by `rutinportal deploy nginx-csp` from {directory / CSP_FILE}.\n"
            "# Do not edit: it is rewritten after every build, then nginx is reloaded.\n"
            f"map $host {VARIABLE} {{\n    default \"{value}\";\n}}\n")
    return text, directory, hashes


def write_csp_map(site_dir: Path, out: Path) -> CspFile:
    """Write the map to `out` atomically (readable by nginx), unless it says that already."""
    text, directory, hashes = csp_map(site_dir)
    if not out.parent.is_dir():
        raise UserError(f"{out}: mappen {out.parent} finns inte")
    try:
        if out.read_text(encoding="utf-8") == text:
            return CspFile(out, directory, hashes, changed=False)
    except FileNotFoundError:
        pass
    fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # nginx's master reads it; nothing secret in it
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return CspFile(out, directory, hashes, changed=True)
