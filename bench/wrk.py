"""Load from Debian's `wrk` (one thread, keep-alive connections), scripted in Lua.

wrk is written in C: at thousands of requests a second it takes a small share of the two
cores the server also needs, where a Python client would take as much as the server. Each run
lasts a fixed time (the rate is answers over the whole run) and is bounded in count as well:
past its bound the script sends nothing more. The script builds each request as it goes,
counts the answers by status, and reports wrk's own latency percentiles.

Acknowledgements: request n is person n mod P acknowledging document n div P (a new
person/document pair each time), signed in by the SSO header with the CSRF cookie/header pair
(`bench.server.CSRF_TOKEN`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .server import CSRF_TOKEN, HOST

LUA = r"""
-- Written by bench/wrk.py.
local limit, first = %(limit)d, %(first)d
local method, path, kind = "%(method)s", "%(path)s", "%(kind)s"
local people, documents = %(people)d, { %(documents)s }
local host = nil
counts, sent = {}, 0  -- globals: done() reads them with thread:get

function init(args)
  host = wrk.host .. ":" .. wrk.port
end

function request()
  local n = first + sent
  sent = sent + 1
  if kind ~= "ack" then
    return wrk.format(method, path, { ["Host"] = host })
  end
  local person = string.format("p%%05d", n %% people)
  local doc = documents[math.floor(n / people) %% #documents + 1]
  local body = string.format('{"document_id":"%%s","version":%%d}', doc[1], doc[2])
  return wrk.format(method, path, {
    ["Host"] = host,
    ["Content-Type"] = "application/json",
    ["X-Remote-User"] = person,
    ["X-CSRF-Token"] = "%(token)s",
    ["Cookie"] = "rp_csrf=%(token)s",
  }, body)
end

-- The bound in count: past it, a connection waits out the run instead of sending more.
function delay()
  if sent >= limit then return 3600000 end
  return 0
end

function response(status, headers, body)
  local key = "s" .. status
  counts[key] = (counts[key] or 0) + 1
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function done(summary, latency, _)
  local statuses, total_sent = {}, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    local c = thread:get("counts")
    for code = 100, 599 do
      if c["s" .. code] then
        statuses[#statuses + 1] = string.format('"%%d": %%d', code, c["s" .. code])
      end
    end
  end
  local e = summary.errors
  io.write(string.format(
    '\nWRK-RESULT {"requests": %%d, "sent": %%d, "duration_us": %%d, "p50_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "errors": {"connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d}, "statuses": {%%s}}\n',
    summary.requests, total_sent, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(statuses, ", ")))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


@dataclass
class WrkResult:
    requests: int  # answered
    sent: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    errors: dict[str, int]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


def script(kind: str, *, limit: int, clients: int, first: int = 0, people: int = 0,
           documents: list[tuple[str, int]] | None = None) -> str:
    method, path = ("POST", "/api/acknowledgements") if kind == "ack" else \
        ("GET", "/api/health")
    docs = ", ".join(f'{{"{d}", {v}}}' for d, v in documents or [("-", 0)])
    return LUA % {"limit": limit, "first": first, "method": method, "path": path,
                  "kind": kind, "people": max(people, 1), "documents": docs,
                  "clients": clients, "token": CSRF_TOKEN}


def run(port: int, lua: str, workdir: Path, *, limit: int, seconds: int,
        clients: int = 50) -> WrkResult:
    """One wrk run of `seconds` with one thread and `clients` keep-alive connections; the
    script sends at most `limit` requests, a bound that must not be reached (else the rate
    would not be over the whole run)."""
    path = workdir / "load.lua"
    path.write_text(lua, encoding="utf-8")
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s",
               "-s", str(path), f"http://{HOST}:{port}/"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                          check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK-RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}"
                           f"{done.stdout[-2000:]}")
    data = json.loads(line[len("WRK-RESULT "):])
    if data["sent"] >= limit:
        raise RuntimeError(f"wrk reached its bound of {limit} requests before {seconds} s: "
                           "raise the bound")
    return WrkResult(requests=data["requests"], sent=data["sent"],
                     seconds=data["duration_us"] / 1e6,
                     p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
                     max_ms=data["max_us"] / 1000,
                     statuses={int(k): v for k, v in data["statuses"].items()},
                     errors=data["errors"])
