"""The shipped systemd units (deploy/systemd) and the environment file they read.

Every `rutinportal …` a unit runs is a real command with valid options (parsed by the CLI's
own click definitions); every unit passes `systemd-analyze verify` (Debian's systemd, on the
machine already; the install path /srv/rutinportal is substituted by this checkout so that
the programs exist); env.example names every setting the code reads, and no other.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from rutinportal.cli import main

from .conftest import unavailable

REPO = Path(__file__).resolve().parents[2]
UNITS = REPO / "deploy" / "systemd"
ENV_EXAMPLE = REPO / "deploy" / "env.example"
INSTALLED = "/srv/rutinportal"
PROGRAM = f"{INSTALLED}/.venv/bin/rutinportal"
SERVICES = ["rutinportal@.service", "rutinportal-build.service", "rutinportal-notify.service",
            "rutinportal-retention.service", "rutinportal-backup.service"]
TIMERS = {"rutinportal-notify.timer": "rutinportal notify",
          "rutinportal-retention.timer": "rutinportal retention",
          "rutinportal-backup.timer": "rutinportal db backup"}


def parse(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A unit file: section → its (key, value) lines in order (keys may repeat)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{path}: {line!r} before any section"
        current.append((key.strip(), value.strip()))
    return sections


def values(unit: dict, section: str, key: str) -> list[str]:
    return [v for k, v in unit.get(section, []) if k == key]


def expand(value: str, instance: str = "8001") -> str:
    """What systemd makes of an Exec line's specifiers and escapes (those the units use)."""
    return value.replace("%i", instance).replace("%%", "%").replace("$$", "$")


def rutinportal_arguments(exec_line: str) -> list[str] | None:
    """The arguments given to the rutinportal program, directly or through `sh -c`."""
    words = shlex.split(expand(exec_line.lstrip("+-@!:")))
    if words[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(words[2])
        if words[:1] == ["exec"]:
            words = words[1:]
    if words and words[0] == PROGRAM:
        return words[1:]
    return None


def check_command(arguments: list[str]) -> str:
    """Parse the arguments with the CLI's own definitions; the command's full name."""
    context = main.make_context("rutinportal", list(arguments))
    command: click.Command = main
    names = []
    rest = list(arguments)
    while isinstance(command, click.Group):
        name, command, rest = command.resolve_command(context, rest)
        names.append(name)
        context = command.make_context(name, list(rest), parent=context)
    return " ".join(["rutinportal", *names])


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_real_commands_as_the_service_user(name: str) -> None:
    unit = parse(UNITS / name)
    service = dict(unit["Service"])
    assert service["User"] == "rutinportal" and service["Group"] == "rutinportal"
    assert values(unit, "Service", "EnvironmentFile") == ["/etc/rutinportal/env"]
    assert service["WorkingDirectory"] == INSTALLED
    for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                      "PrivateTmp=yes", "CapabilityBoundingSet="):
        key, _, value = hardening.partition("=")
        assert service.get(key) == value, f"{name}: {hardening}"
    commands = [rutinportal_arguments(v) for key in ("ExecStart", "ExecStartPost")
                for v in values(unit, "Service", key)]
    ours = [c for c in commands if c is not None]
    assert ours, f"{name} runs no rutinportal command"
    for arguments in ours:
        check_command(arguments)  # raises click's UsageError for an unknown option


def test_the_commands_are_the_right_ones() -> None:
    def runs(name: str) -> list[str]:
        unit = parse(UNITS / name)
        return [check_command(a) for key in ("ExecStart", "ExecStartPost")
                for v in values(unit, "Service", key)
                if (a := rutinportal_arguments(v)) is not None]

    assert runs("rutinportal@.service") == ["rutinportal serve"]
    assert runs("rutinportal-build.service") == ["rutinportal build",
                                                 "rutinportal deploy nginx-csp"]
    for timer, command in TIMERS.items():
        assert runs(timer.replace(".timer", ".service")) == [command]


def test_the_portal_serves_the_built_site_on_its_own_port() -> None:
    unit = parse(UNITS / "rutinportal@.service")
    (start,) = values(unit, "Service", "ExecStart")
    arguments = rutinportal_arguments(start)
    # Never a build at start (two processes would build at once), and loopback only.
    assert arguments[arguments.index("--site-dir") + 1] == f"{INSTALLED}/site"
    assert arguments[arguments.index("--host") + 1] == "127.0.0.1"
    assert arguments[arguments.index("--port") + 1] == "8001"
    assert dict(unit["Service"])["Restart"] == "always"
    upstream = (REPO / "deploy/nginx/rutinportal.conf").read_text(encoding="utf-8")
    assert "server 127.0.0.1:8001 " in upstream and "server 127.0.0.1:8002 " in upstream


def test_the_backup_is_dated_and_rotated() -> None:
    unit = parse(UNITS / "rutinportal-backup.service")
    (start,) = values(unit, "Service", "ExecStart")
    arguments = rutinportal_arguments(start)
    assert arguments[:3] == ["db", "backup", "--out"]
    assert arguments[3] == "${STATE_DIRECTORY}/rutinportal-$(date +%F).backup"
    (prune,) = values(unit, "Service", "ExecStartPost")
    assert shlex.split(prune) == [
        "/usr/bin/find", "/var/lib/rutinportal/backup", "-maxdepth", "1", "-name",
        "rutinportal-*.backup", "!", "-name", "rutinportal-*-01.backup", "-mtime", "+14",
        "-delete"]
    assert dict(unit["Service"])["StateDirectory"] == "rutinportal/backup"


@pytest.mark.parametrize("timer", sorted(TIMERS))
def test_each_timer_runs_nightly_and_catches_up(timer: str) -> None:
    unit = parse(UNITS / timer)
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d", dict(unit["Timer"])["OnCalendar"])
    assert dict(unit["Timer"])["Persistent"] == "true"
    assert dict(unit["Install"])["WantedBy"] == "timers.target"
    assert (UNITS / timer.replace(".timer", ".service")).exists()


def test_systemd_accepts_every_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        unavailable("systemd-analyze verify", "systemd-analyze saknas (Debian: systemd)")
    if not Path(PROGRAM.replace(INSTALLED, str(REPO))).exists():
        unavailable("systemd-analyze verify", f"{REPO}/.venv/bin/rutinportal saknas")
    for program in ("/usr/sbin/nginx", "/usr/bin/systemctl", "/usr/bin/find"):
        if not Path(program).exists():
            unavailable("systemd-analyze verify", f"{program} saknas")
    names = []
    for path in sorted(UNITS.iterdir()):
        name = path.name.replace("@.service", "@8001.service")
        (tmp_path / name).write_text(path.read_text(encoding="utf-8")
                                     .replace(INSTALLED, str(REPO)), encoding="utf-8")
        names.append(str(tmp_path / name))
    if (tmp_path / "rutinportal@8001.service").exists():
        (tmp_path / "rutinportal@.service").write_text(
            (tmp_path / "rutinportal@8001.service").read_text(encoding="utf-8"),
            encoding="utf-8")
    result = subprocess.run([analyze, "verify", "--man=no", *names], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout + result.stderr == "", \
        result.stdout + result.stderr


# --- The environment file ---------------------------------------------------------------------

ONLY_FOR_TESTS = {"TODAY"}  # a fixed day for tests and demonstrations, never in production


def settings_read_by_the_code() -> set[str]:
    found = set()
    for path in (REPO / "src" / "rutinportal").rglob("*.py"):
        if "testing" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found |= {m for m in re.findall(r'\b(?:env|positive_int)\("([A-Z_]+)"', text)}
        found |= {m for m in re.findall(r'environ\.get\("RUTINPORTAL_([A-Z_]+)"', text)}
    return found - ONLY_FOR_TESTS


def example_settings() -> dict[str, str]:
    settings = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            assert key.startswith("RUTINPORTAL_") and " " not in key, line
            assert value == "" or (value.startswith('"') and value.endswith('"')), line
            settings[key.removeprefix("RUTINPORTAL_")] = value.strip('"')
    return settings


def test_env_example_names_every_setting_the_code_reads() -> None:
    read = settings_read_by_the_code()
    assert {"DATABASE", "SECRET_KEY", "SMTP_HOST", "MAIL_FROM", "ROOT"} <= read
    assert set(example_settings()) == read


def test_env_example_reads_the_same_in_sh(tmp_path: Path) -> None:
    """systemd and deploy/bin/rutinportal-admin (sh) must see the same values."""
    script = f'set -a; . "{ENV_EXAMPLE}"; set +a; env'
    result = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True,
                            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, timeout=30)
    assert result.returncode == 0, result.stderr
    seen = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    for key, value in example_settings().items():
        assert seen.get(f"RUTINPORTAL_{key}") == value, key
    assert seen["RUTINPORTAL_MAIL_FROM"] == "Rutinportalen <rutiner@kommun.se>"


def test_the_admin_wrapper_is_valid_sh_and_refuses_without_root(tmp_path: Path) -> None:
    wrapper = REPO / "deploy" / "bin" / "rutinportal-admin"
    assert subprocess.run(["/bin/sh", "-n", str(wrapper)]).returncode == 0
    assert os.access(wrapper, os.X_OK)
    if os.geteuid() == 0:
        result = subprocess.run([str(wrapper), "status"], capture_output=True, text=True,
                                env={"PATH": "/usr/bin:/bin", "RUTINPORTAL_ENV_FILE":
                                     str(tmp_path / "finns-inte")}, timeout=30)
        assert result.returncode == 1
        assert result.stderr == (f"Fel: {tmp_path / 'finns-inte'} finns inte (se "
                                 "deploy/env.example).\n")
