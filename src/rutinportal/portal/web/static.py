"""Serve the built static site from the portal, with the demo banner in dev mode.

Files come from the build being served (`live_site`), never from outside its folder. Any path
a browser can send is answered 200, 304, 308 or 404 — a NUL byte, a name too long for the file
system or an undecodable one included — never with a server error. Files go out as the build
compressed them and with their caching headers (`delivery`); a page the portal changes for
the request (the demo banner) is compressed by the middleware.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .delivery import file_response, page_response
from .shell import decorate, note_no_unit

router = APIRouter(include_in_schema=False)


def resolve(site_dir: Path, path: str) -> Path | None:
    """The file for a URL path, never outside the site folder; None when there is none."""
    if "\x00" in path:
        return None
    try:
        root = site_dir.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        if candidate != root and root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None
    except (OSError, ValueError):  # e.g. a name too long for the file system
        return None


def _is_folder(site_dir: Path, path: str) -> bool:
    found = resolve(site_dir, path)
    return found is not None and found.name == "index.html" and \
        found.parent == (site_dir / path).resolve()


@router.api_route("/{path:path}", methods=["GET", "HEAD"])
def site_file(request: Request, path: str) -> Response:
    site_dir = request.app.state.portal.site.directory
    if path and not path.endswith("/") and _is_folder(site_dir, path):
        # Pages use relative links: /rutiner/x must become /rutiner/x/ to resolve them.
        return RedirectResponse(f"/{path}/", status_code=308)
    found = resolve(site_dir, path)
    if found is None:
        missing = resolve(site_dir, "404.html")
        html = missing.read_text(encoding="utf-8") if missing else "<h1>Sidan finns inte</h1>"
        return HTMLResponse(decorate(request, html), status_code=404)
    no_unit = path.rstrip("/") == "laslistor" and "ingen-enhet" in request.query_params
    if found.suffix == ".html" and (no_unit or request.app.state.portal.settings.auth == "dev"):
        html = found.read_text(encoding="utf-8")
        return page_response(request, decorate(request, note_no_unit(html) if no_unit else html))
    return file_response(request, found)
