"""The shipped scripts walk the whole loop, in Spanish and in English."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from demo.cast import Cast
from demo.player import SCRIPT_PACE, demo_settings, play, script_lines
from demo.session import DemoSession
from services.settings import Settings
from storage.clock import SettableClock
from tests.harness import START_TIME

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "demo" / "scripts"


async def transcript(script: str, tmp_path: Path) -> str:
    session = DemoSession(
        demo_settings(tmp_path, _cast()), clock=SettableClock(START_TIME), pace=SCRIPT_PACE
    )
    out = io.StringIO()
    async with session:
        await play(session, script_lines(script), out)
    return out.getvalue()


def read(name: str) -> str:
    return (SCRIPTS / name).read_text(encoding="utf-8")


def _cast() -> Cast:
    return Cast.default()


def in_order(text: str, *needles: str) -> None:
    """Each needle appears after the previous one."""
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} not found after position {position}"
        position = found + len(needle)


async def test_full_loop_in_spanish(tmp_path: Path) -> None:
    text = await transcript(read("full_loop_es.txt"), tmp_path)
    in_order(
        text,
        "subscriber › /suscribir",
        "Listo: recibirás aquí las noticias verificadas",
        "family › /reportar",
        "▸ pressed «📝 Una detención»",
        "Tu código de recibo:",
        "family · moderator (1 new) › /as moderator",
        "🆕 Reporte de detención #1",
        "▸ pressed «✅ Verificar»",
        "#1 verificado",
        "moderator · family (1 new) › /as family",
        "🔔 Novedades sobre tu reporte",
        "Reporte: verificado",
        "family › /estado ",
        "Reporte: verificado",
        "moderator › /excarcelar C1 hoy court_presentation cada 15 días",
        "Caso C1: detenido/a → excarcelado/a",
        "📣 Noticia de excarcelación lista (caso C1)",
        "Condiciones: Presentación en tribunales cada 15 días",
        "Conditions: Court presentation every 15 days",
        "moderator · family (1 new) › /as family",
        "🔔 Novedades sobre tu reporte",
        "Caso: excarcelado/a el",
        "Condiciones: Presentación en tribunales cada 15 días",
        "family › /as moderator",
        "▸ pressed «📣 Difundir»",
        "✅ Difusión #1 terminada",
        "moderator · subscriber (1 new) › /as subscriber",
        "🤖 🕊️ Excarcelación verificada",
        "Nombre: María Fernanda Pérez",
        "Condiciones: Presentación en tribunales cada 15 días",
        "subscriber › /cifras",
        "📊 Cifras verificadas",
        "🔓 Excarcelaciones: 1",
        "[🖼 photo: figures.png]",
    )
    assert "cada cierto número de días" not in text
    assert "{receipt}" not in text


async def test_full_loop_in_english(tmp_path: Path) -> None:
    text = await transcript(read("full_loop_en.txt"), tmp_path)
    in_order(
        text,
        "subscriber › /subscribe",
        "Done: you will receive the organisation's verified release updates",
        "family2 › /report",
        "▸ pressed «📝 A detention»",
        "Your receipt code:",
        "family2 · moderator (1 new) › /as moderator",
        "🆕 Detention report #1",
        "▸ pressed «✅ Verify»",
        "#1 verified",
        "moderator · family2 (1 new) › /as family2",
        "🔔 News about your report",
        "Report: verified",
        "family2 › /status ",
        "Report: verified",
        "moderator › /release C1 today court_presentation every 15 days",
        "Case C1: detained → released",
        "📣 Release news ready (case C1)",
        "Condiciones: Presentación en tribunales cada 15 días",
        "Conditions: Court presentation every 15 days",
        "moderator · family2 (1 new) › /as family2",
        "🔔 News about your report",
        "Case: released on",
        "Conditions: Court presentation every 15 days",
        "family2 › /as moderator",
        "▸ pressed «📣 Broadcast»",
        "✅ Broadcast #1 finished",
        "moderator · subscriber (1 new) › /as subscriber",
        "🤖 🕊️ Verified release",
        "Name: Carlos Eduardo Rivas",
        "Conditions: Court presentation every 15 days",
        "subscriber › /figures",
        "📊 Verified figures",
        "🔓 Releases: 1",
        "[🖼 photo: figures.png]",
    )
    assert "every few days" not in text


def test_demo_command_needs_no_token_or_key(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("# just say hello\n\n/start\n/as family2 en\n/start\n", encoding="utf-8")
    settings = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in settings}
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--script", str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "family › /start" in completed.stdout
    assert "Vigía recibe reportes" in completed.stdout
    assert "Vigía receives reports" in completed.stdout
    assert "\x1b[" not in completed.stdout
    assert "# just say hello" not in completed.stdout
    assert not list(tmp_path.glob("*.db"))


def test_script_lines_skip_comments_and_blank_lines() -> None:
    assert script_lines("# a comment\n\n  /start  \n   # indented comment\n1\n") == ["/start", "1"]
