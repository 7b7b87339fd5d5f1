"""A uvicorn process of the portal, and a small keep-alive HTTP/1.1 load client.

The server is `rutinportal.testing.server.PortalProcess`, as the tests start it: uvicorn on a
free port of 127.0.0.1, header authentication trusting 127.0.0.1.

The client is plain asyncio streams, one persistent connection per simulated client, so that
on a 2-core machine as little CPU as possible goes to the load generator (the server and the
client share the cores); the trivial endpoint is measured with the same client, so whatever
the client costs is in both numbers. Loopback only; every run is bounded by its request list.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path

from rutinportal.testing.server import HOST, PortalProcess

CSRF_TOKEN = "bench-token"


class Server(PortalProcess):
    """The portal in header mode; `with Server(...)` starts it and stops it."""

    def __init__(self, root: Path, site: Path, database: str, log: Path, workers: int = 1):
        super().__init__(root, site, database, log, auth="header", secret_key="bench-secret",
                         workers=workers)

    def start(self, timeout: float = 120) -> Server:
        return super().start(timeout)


def request(method: str, path: str, *, person: str | None = None,
            payload: dict | None = None, port: int = 0) -> bytes:
    """One raw HTTP/1.1 request; with `person`, signed in through the SSO header (+ CSRF)."""
    body = json.dumps(payload).encode() if payload is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Accept: */*"]
    if person is not None:
        lines += [f"X-Remote-User: {person}", f"X-CSRF-Token: {CSRF_TOKEN}",
                  f"Cookie: rp_csrf={CSRF_TOKEN}"]
    if payload is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = bytearray()
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            await reader.readline()
            return status, bytes(body)
        body += await reader.readexactly(size)
        await reader.readline()


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_s: list[float]
    statuses: dict[int, int]
    errors: list[str]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


async def _load(port: int, requests: list[bytes], clients: int, timeout: float) -> LoadResult:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    index = 0

    async def client() -> None:
        nonlocal index
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while index < len(requests):
                raw = requests[index]
                index += 1
                start = time.perf_counter()
                writer.write(raw)
                try:
                    status, _ = await asyncio.wait_for(_read_response(reader), timeout)
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                        ConnectionError) as exc:
                    errors.append(f"{exc.__class__.__name__}: {exc}")
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                    continue
                latencies.append(time.perf_counter() - start)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return LoadResult(len(requests), time.perf_counter() - start, latencies, statuses, errors)


def load(port: int, requests: list[bytes], clients: int = 50,
         timeout: float = 60) -> LoadResult:
    """Send `requests` over `clients` concurrent keep-alive connections; time each answer."""
    return asyncio.run(_load(port, requests, clients, timeout))


def get(port: int, path: str, person: str | None = None, timeout: float = 120,
        method: str = "GET", payload: dict | None = None) -> tuple[int, float, bytes]:
    """One request on a fresh connection: (status, seconds, body)."""

    async def once() -> tuple[int, float, bytes]:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            start = time.perf_counter()
            writer.write(request(method, path, person=person, payload=payload, port=port))
            status, body = await asyncio.wait_for(_read_response(reader), timeout)
            return status, time.perf_counter() - start, body
        finally:
            writer.close()

    return asyncio.run(once())
