"""What can be checked here of deploy/: the systemd units verify, the compose file has the
expected services, and every command the units, the Dockerfile and compose run exists."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import _parser

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))
VENV_BIN = "/opt/unionbridge/.venv/bin/unionbridge"


def _unionbridge_arguments(command: str) -> list[str]:
    """The arguments after `unionbridge` in a unit's command line."""
    expanded = command.replace("%%", "%").replace("%i", "1").replace("$(date +%F)", "2026-12-02")
    words = shlex.split(expanded)
    for index, word in enumerate(words):
        if word.endswith("/unionbridge") or word == "unionbridge":
            return words[index + 1 :]
    return []


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    executable = Path(sys.executable).parent / "unionbridge"
    for unit in UNITS:
        # The units name where the package is installed on a server; point them here.
        text = unit.read_text().replace(VENV_BIN, str(executable))
        text = text.replace("EnvironmentFile=/etc/unionbridge/env", "")
        (tmp_path / unit.name).write_text(text)
    shutil.copy(DEPLOY / "unionbridge-worker@.service", tmp_path / "unionbridge-worker@1.service")
    names = [str(tmp_path / unit.name) for unit in UNITS if "@" not in unit.name]
    names.append(str(tmp_path / "unionbridge-worker@1.service"))
    done = subprocess.run([analyze, "verify", *names], capture_output=True, text=True, check=False)
    problems = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and "Failed to resolve user" not in line and "/opt/unionbridge" not in line
    ]
    assert done.returncode == 0 or not problems, done.stderr


@pytest.mark.parametrize("unit", [u for u in UNITS if u.suffix == ".service"], ids=lambda u: u.name)
def test_every_unit_runs_a_command_the_cli_knows(unit: Path) -> None:
    commands = [
        line.split("=", 1)[1]
        for line in unit.read_text().splitlines()
        if line.startswith("ExecStart=")
    ]
    assert commands
    for command in commands:
        arguments = _unionbridge_arguments(command.removeprefix("/bin/sh -c ").strip("'"))
        _parser().parse_args(arguments)


def test_the_dockerfile_runs_a_command_the_cli_knows() -> None:
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    entry = next(line for line in lines if line.startswith("ENTRYPOINT"))
    command = next(line for line in lines if line.startswith("CMD"))
    assert yaml.safe_load(entry.removeprefix("ENTRYPOINT ")) == ["unionbridge"]
    _parser().parse_args(yaml.safe_load(command.removeprefix("CMD ")))
    copied = [line.split()[1] for line in lines if line.startswith("COPY")]
    root = DEPLOY.parent
    assert all((root / name).exists() for name in copied if name != "--chown")


def test_compose_has_the_bot_and_its_database() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"bot", "postgres"}
    assert services["bot"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert (DEPLOY.parent / services["bot"]["build"]["dockerfile"]).exists()
    _parser().parse_args(services["bot"]["command"])
    assert "UNIONBRIDGE_TOKEN" in services["bot"]["environment"]
