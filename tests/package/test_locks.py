"""The lock files pin, with hashes, versions that the ranges in pyproject.toml allow.

requirements.lock is the runtime, requirements-dev.lock adds the test, lint and bench
extras, requirements-build.lock is what builds the wheel (setuptools, Babel).

The ranges stay in pyproject.toml; CI, `make` and the image install the lock files
(`make lock` writes them). A range changed without re-locking fails here, and so does
a runtime pin that differs from the development lock's: the tests would then run on
other versions than the image.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)")


def _pins(name: str) -> dict[str, str]:
    """Each locked package and its version; every pin carries at least one hash."""
    text = (ROOT / name).read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(entry)
        if match is None:
            continue
        assert "--hash=sha256:" in entry, f"{name}: {match.group(1)} has no hash"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    assert pins, f"{name} pins nothing"
    return pins


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements(*extras: str) -> list[Requirement]:
    project = _pyproject()["project"]
    found = [Requirement(text) for text in project["dependencies"]]
    for extra in extras:
        found += [Requirement(text) for text in project["optional-dependencies"][extra]]
    return found


def _unmet(requirements: list[Requirement], pins: dict[str, str]) -> list[str]:
    return [
        str(requirement)
        for requirement in requirements
        if not requirement.specifier.contains(
            pins.get(canonicalize_name(requirement.name), "0.dev0"), prereleases=True
        )
        or canonicalize_name(requirement.name) not in pins
    ]


def test_the_runtime_lock_meets_the_runtime_ranges_and_holds_no_tool() -> None:
    pins = _pins("requirements.lock")
    assert _unmet(_requirements(), pins) == []
    runtime = {canonicalize_name(requirement.name) for requirement in _requirements()}
    tools = {canonicalize_name(tool.name) for tool in _requirements("test", "bench")}
    assert (tools - runtime) & pins.keys() == set()


def test_the_development_lock_meets_every_range_and_agrees_with_the_runtime_lock() -> None:
    development = _pins("requirements-dev.lock")
    assert _unmet(_requirements("test", "bench"), development) == []
    runtime = _pins("requirements.lock")
    differ = {name: (version, development.get(name)) for name, version in runtime.items()}
    assert {name: pair for name, pair in differ.items() if pair[0] != pair[1]} == {}


def test_the_build_lock_meets_the_build_requirements() -> None:
    """The image builds its wheel with these, without build isolation."""
    pins = _pins("requirements-build.lock")
    build = [Requirement(text) for text in _pyproject()["build-system"]["requires"]]
    assert _unmet(build, pins) == []
