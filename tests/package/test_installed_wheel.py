"""The wheel, installed in a fresh virtualenv and run outside the source tree (issue 19).

An installed copy used to start only from the checkout: the wheel held no catalogs,
and the fake Bot API and the demo shipped in it. Here the wheel is built from a copy
of the sources holding no compiled catalog, installed without dependencies into a new
virtualenv that borrows this run's installed libraries (so no network is needed), and
run from an empty directory: the `vigia` script answers /start in Spanish and in
English from its own catalogs, and `vigia health` sees the running bot's heartbeat.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from fake_telegram import FakeTelegramServer, FakeUser
from fake_telegram.updates import text_update
from tests.harness import PROCESS_KEY

ROOT = Path(__file__).resolve().parents[2]
BUILD_FILES = ("pyproject.toml", "README.md", "MANIFEST.in", "build_catalogs.py", "babel.cfg")
SOURCE_DIRS = ("domain", "storage", "services", "handlers", "bot", "locales")
TOOL_DIRS = ("fake_telegram", "demo")
FAMILY_ES = FakeUser(id=5101, first_name="Rosa", language_code="es")
FAMILY_EN = FakeUser(id=5102, first_name="Mary", language_code="en")
WAIT = 90.0


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def vigia(self) -> Path:
        return self.venv / "bin" / "vigia"

    def env(self, **settings: str) -> dict[str, str]:
        """Nothing of this test run's environment but PATH: no PYTHONPATH, no settings."""
        path = os.environ.get("PATH", "/usr/bin:/bin")
        return {"PATH": path, "HOME": str(self.home), **settings}


def _run(command: list[str], **kwargs: object) -> str:
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, **kwargs
    )  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command[:4]}: {done.stdout}{done.stderr}"
    return str(done.stdout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in BUILD_FILES:
        shutil.copy2(ROOT / name, source / name)
    for name in SOURCE_DIRS + TOOL_DIRS:
        # No compiled catalog comes along: the build must compile them itself.
        skip = shutil.ignore_patterns("__pycache__", "*.mo", "*.mo.*", "*.pot")
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    dist = work / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "--wheel-dir", str(dist), str(source)])  # fmt: skip
    [wheel] = dist.glob("vigia-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    result = Installed(wheel, venv, work / "home")
    result.home.mkdir()
    _run([*pip, "--python", str(result.python), "install", "--quiet", "--no-deps", "--no-index",
          str(wheel)])  # fmt: skip
    show_site = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = _run([str(result.python), "-c", show_site])
    # The runtime libraries come from this run's environment, after the venv's own:
    # a directory on the path, so its editable checkout finder is not loaded.
    borrowed = sysconfig.get_path("purelib")
    Path(site.strip(), "borrowed_libraries.pth").write_text(borrowed + "\n", encoding="utf-8")
    return result


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty working directory, outside the source tree."""
    directory = tmp_path / "elsewhere"
    directory.mkdir()
    return directory


def test_the_wheel_holds_the_bot_and_its_compiled_catalogs_and_no_tools(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        headers = wheel.read(metadata).decode()
        entry_points = wheel.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    for language in ("es", "en"):
        assert f"locales/{language}/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if n.endswith(".po")]
    assert not [n for n in names if n.split("/")[0] in (*TOOL_DIRS, "build_catalogs.py")]
    assert "storage/migrations/0001_initial.sql" in names
    assert "License-Expression: AGPL-3.0-or-later" in headers
    assert "vigia = bot.__main__:main" in entry_points


def test_the_installed_copy_imports_from_the_virtualenv_and_has_no_demo(
    installed: Installed, elsewhere: Path
) -> None:
    show_files = "import bot, locales; print(bot.__file__, locales.__file__)"
    where = _run(
        [str(installed.python), "-c", show_files],
        cwd=elsewhere,
        env=installed.env(),
    ).split()
    assert all(Path(path).is_relative_to(installed.venv) for path in where), where
    demo = subprocess.run(
        [str(installed.vigia), "demo"],
        cwd=elsewhere,
        env=installed.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert demo.returncode == 2
    # The operator's line in the deployment's default language: the wheel's catalogs.
    assert demo.stderr.strip().splitlines() == [
        "vigia: la demostración se ejecuta desde una copia del código fuente: make demo "
        "(o allí python -m bot demo)"
    ]


def test_the_installed_bot_answers_in_both_languages_and_is_healthy(
    installed: Installed, elsewhere: Path
) -> None:
    with FakeTelegramServer() as server, _bot(installed, server, elsewhere) as settings:
        for user in (FAMILY_ES, FAMILY_EN):
            server.fake.enqueue_update(text_update(server.fake, user, "/start"))
        spanish = _first_answer(server, FAMILY_ES)
        english = _first_answer(server, FAMILY_EN)
        assert "recibe reportes de detenciones" in spanish
        assert "receives reports of detentions" in english
        health = _healthy(installed, elsewhere, settings)
        assert health.startswith("vigia: en buen estado: esquema "), health


def _settings(installed: Installed, server: FakeTelegramServer) -> dict[str, str]:
    return {
        "BOT_TOKEN": "123456:TEST",
        "ENCRYPTION_KEY": PROCESS_KEY,
        "DATABASE_PATH": str(installed.home / "data" / "vigia.db"),
        "TELEGRAM_BASE_URL": server.base_url,
        "TELEGRAM_BASE_FILE_URL": server.base_file_url,
    }


@contextmanager
def _bot(installed: Installed, server: FakeTelegramServer, cwd: Path) -> Iterator[dict[str, str]]:
    """`vigia` running in the background; stopped with SIGINT, as Docker stops it."""
    settings = _settings(installed, server)
    process = subprocess.Popen(
        [str(installed.vigia)],
        cwd=cwd,
        env=installed.env(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield settings
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=WAIT)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


def _first_answer(server: FakeTelegramServer, user: FakeUser) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        answers = server.fake.bot_messages(user.id)
        if answers:
            return answers[0].body
        server.wait_for_call("sendMessage", timeout=1.0, since=server.fake.call_count())
    raise AssertionError(f"no answer to {user.first_name}'s /start")


def _healthy(installed: Installed, cwd: Path, settings: dict[str, str]) -> str:
    """`vigia health`, once: the bot wrote its first heartbeat before it polled."""
    done = subprocess.run(
        [str(installed.vigia), "health"],
        cwd=cwd,
        env=installed.env(**settings),
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
