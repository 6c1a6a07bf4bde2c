"""The Dockerfile's promises, checked where no Docker daemon can build it (issue 19).

CI builds the image when a daemon answers and lints the file with hadolint otherwise;
these checks hold either way: the Python CI tests, a base pinned by digest, the
locked dependencies in a layer before any source, a writable HOME, a non-root user
and the health command as HEALTHCHECK.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "Dockerfile").read_text(encoding="utf-8")
# Instructions with their continuation lines joined, comments dropped.
INSTRUCTIONS = [
    line
    for line in re.sub(r"\\\n\s*", " ", TEXT).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def test_the_base_is_the_python_ci_tests_pinned_by_digest() -> None:
    [image] = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", TEXT, flags=re.MULTILINE)
    assert re.fullmatch(r"python:3\.11-slim@sha256:[0-9a-f]{64}", image), image
    assert sys.version_info[:2] == (3, 11), "CI runs Python 3.11, as the image"
    assert [line for line in INSTRUCTIONS if line.startswith("FROM")] == [
        "FROM ${PYTHON_IMAGE} AS wheel",
        "FROM ${PYTHON_IMAGE}",
    ]


def test_the_locked_dependencies_are_installed_before_any_source_is_copied() -> None:
    start = max(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("FROM"))
    runtime = INSTRUCTIONS[start:]
    install = next(i for i, line in enumerate(runtime) if "--require-hashes -r" in line)
    assert "requirements.lock" in runtime[install]
    copies = [i for i, line in enumerate(runtime) if line.startswith("COPY")]
    assert runtime[copies[0]].startswith("COPY requirements.lock ")
    assert all(i > install for i in copies[1:])
    # The runtime stage gets the built wheel, never the source tree.
    assert [runtime[i] for i in copies[1:]] == ["COPY --from=wheel /wheels /tmp/wheels"]


def test_a_non_root_user_with_a_writable_home_and_the_health_command() -> None:
    users = [line.split()[1] for line in INSTRUCTIONS if line.startswith("USER")]
    assert users and users[-1] not in ("root", "0")
    assert "--create-home --home-dir /home/vigia" in TEXT
    assert "HOME=/home/vigia" in TEXT
    assert "MPLCONFIGDIR=/home/vigia/" in TEXT
    [healthcheck] = [line for line in INSTRUCTIONS if line.startswith("HEALTHCHECK")]
    assert healthcheck.endswith('CMD ["vigia", "health"]')
    assert INSTRUCTIONS[-1] == 'CMD ["vigia"]'
