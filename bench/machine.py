"""What the numbers were measured on."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "okänd"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "saknas"


def _postgres_version() -> str | None:
    from rutinportal.testing.postgres import binaries

    folder = binaries()
    return folder.parent.name if folder else None


def info() -> dict:
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "properdocs": _version("properdocs"),
        "mkdocs_material": _version("mkdocs-material"),
        "uvicorn": _version("uvicorn"),
        "sqlalchemy": _version("SQLAlchemy"),
        "postgresql": _postgres_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def describe(machine: dict) -> str:
    return (f"{machine['cpu']}, {machine['cores']} kärnor, {machine['ram_gib']} GiB RAM; "
            f"Python {machine['python']}, ProperDocs {machine['properdocs']}, "
            f"Material {machine['mkdocs_material']}, PostgreSQL {machine['postgresql']}; "
            f"{machine['date']}")
