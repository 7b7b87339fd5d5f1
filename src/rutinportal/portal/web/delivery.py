"""How a file of the site travels: compressed as the browser accepts, cached as it may be.

- **Encoding.** The build writes `<file>.br` and `<file>.gz` beside each text file
  (`rutinportal.site.precompress`); the browser gets the smallest it accepts
  (`Accept-Encoding`), with `Content-Encoding` and `Vary: Accept-Encoding`. Nothing is
  compressed per request here (pages the portal changes per request are compressed by the
  middleware, which leaves an encoded answer alone).
- **Caching.** A file whose name carries its content hash (the theme's
  `main.<hash>.min.css`, our `rutinportal.<hash>.js`) never changes under that name: kept a
  year, `immutable`, so a later page asks for none of them. The theme's other files under
  `assets/` (the icon, the search's language files) change only with the theme: kept a day.
  Everything else — pages, `catalog.json`, the search index, images of the content — is
  `no-cache`: kept, but asked about each time, and answered `304 Not Modified` without a
  body while it is unchanged (a strong ETag per encoded copy, from its content, so a new
  build with the same page still matches).
"""

from __future__ import annotations

import hashlib
import os
import re
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from mimetypes import guess_type
from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, Response

IMMUTABLE = "public, max-age=31536000, immutable"
THEME_FILE = "public, max-age=86400"
REVALIDATE = "no-cache"
THEME_FOLDERS = ("assets/images/", "assets/javascripts/", "assets/stylesheets/")
# main.57a0d79d.min.css, bundle.a5f9d56c.min.js, search.a7633da7.min.js, rutinportal.1a2b3c4d.js
HASHED = re.compile(r"\.[0-9a-f]{8,}(?:\.min)?\.(?:css|js)$")
# What the build writes (site.precompress), best first: the browser's name → the suffix.
ENCODED = (("br", ".br"), ("gzip", ".gz"))
TEXT = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".webmanifest"})


def cache_control(path: Path, url_path: str) -> str:
    if HASHED.search(path.name):
        return IMMUTABLE
    return THEME_FILE if url_path.lstrip("/").startswith(THEME_FOLDERS) else REVALIDATE


def accepted(header: str) -> set[str]:
    """The content codings an `Accept-Encoding` header accepts (q > 0), lower case."""
    names = set()
    for part in header.split(","):
        name, _, parameters = part.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip() and quality > 0:
            names.add(name.strip().lower())
    if "*" in names:
        names.update(name for name, _ in ENCODED)
    return names


def variant(path: Path, accept_encoding: str) -> tuple[Path, str | None]:
    """The file to send for `path`: a compressed copy the browser accepts, or `path`."""
    if path.suffix not in TEXT:
        return path, None
    wanted = accepted(accept_encoding)
    for name, suffix in ENCODED:
        if name in wanted:
            candidate = path.with_name(path.name + suffix)
            if candidate.is_file():
                return candidate, name
    return path, None


@lru_cache(maxsize=8192)
def _digest(path: str, inode: int, mtime_ns: int, size: int) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            sha.update(chunk)
    return sha.hexdigest()[:24]


def _matches(request: Request, etag: str, modified: float) -> bool:
    """The browser's copy is the current one (If-None-Match, else If-Modified-Since)."""
    sent = request.headers.get("if-none-match")
    if sent is not None:
        tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = request.headers.get("if-modified-since")
    if since is None or modified <= 0:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False


def file_response(request: Request, path: Path) -> Response:
    """A file of the site, in the encoding the browser accepts, with its caching headers."""
    policy = cache_control(path, request.url.path)
    sent, encoding = variant(path, request.headers.get("accept-encoding", ""))
    stat = os.stat(sent)
    etag = f'"{_digest(str(sent), stat.st_ino, stat.st_mtime_ns, stat.st_size)}"'
    headers = {"Cache-Control": policy, "ETag": etag,
               "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
    if encoding:
        # (Sent as it is, the compression middleware adds `Vary` itself.)
        headers.update({"Content-Encoding": encoding, "Vary": "Accept-Encoding"})
    if _matches(request, etag, stat.st_mtime):
        return Response(status_code=304, headers=headers)
    media_type = guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(sent, headers=headers, media_type=media_type, stat_result=stat)


def page_response(request: Request, html: str, status_code: int = 200) -> Response:
    """A page the portal changed for this request (e.g. the demo banner): revalidated by a
    weak ETag of its text, unless it names the person (then `web.headers` forbids storing)."""
    if getattr(request.state, "personal", False) or status_code != 200:
        return HTMLResponse(html, status_code=status_code)
    etag = 'W/"' + hashlib.sha256(html.encode("utf-8")).hexdigest()[:24] + '"'
    headers = {"Cache-Control": REVALIDATE, "ETag": etag}
    if _matches(request, etag, 0):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(html, headers=headers)
