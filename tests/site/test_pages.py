"""The site says what /cifras says, publishes what /exportar … public publishes, and
links its pages, its data and its feed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from services.case_files import PUBLIC, render
from storage.roles import Role
from tests.broadcast.helpers import sent_document
from tests.figures.dataset import seed
from tests.harness import BotHarness
from tests.roles import grant
from tests.site.helpers import build, cifras_counts, page_figures, tree
from tests.site.seeding import seed_through_the_bot

ATOM = "{http://www.w3.org/2005/Atom}"


async def _announce(harness: BotHarness) -> None:
    await grant(harness, harness.people.broadcaster, Role.BROADCASTER)
    await harness.rig.send_text(harness.people.broadcaster, "/anunciar 3 01/12/2025 Fiscalía")


@pytest.mark.parametrize("language", ["es", "en"])
async def test_every_number_on_the_page_is_the_one_cifras_shows(
    harness: BotHarness, tmp_path: Path, language: str
) -> None:
    await seed(harness)
    await _announce(harness)
    files = tree(await build(harness, tmp_path / "site"))
    page = files["index.html" if language == "es" else "en/index.html"].decode()
    shown = list(page_figures(page).values())
    assert shown == await cifras_counts(harness, spanish=language == "es")
    assert len(shown) >= 20
    assert ("Fiscalía" in page) and ("3" in page)
    figures = json.loads(files["data/figures.json"])
    by_key = {item["key"]: item for item in figures["figures"]}
    for key, value in page_figures(page).items():
        assert str(by_key[key]["value"]) == value.replace(".", "").replace(",", "")
        assert by_key[key]["as_of"] == "2026-01-12"
        assert by_key[key]["definition"]["es"] and by_key[key]["definition"]["en"]
    assert by_key["deprived"]["last_verified"] == "2026-01-10"
    assert by_key["deaths"]["latest"] == "2025-11-30"
    assert figures["announced"][0] | {"definition": None} == {
        "claimed": 3, "since": "2025-12-01", "source": "Fiscalía", "verified": 2, "gap": 1,
        "as_of": "2026-01-12", "definition": None,
    }  # fmt: skip


async def test_the_open_data_is_the_public_export(harness: BotHarness, tmp_path: Path) -> None:
    await seed(harness)
    await seed_through_the_bot(harness)  # a named case, with its release's conditions
    files = tree(await build(harness, tmp_path / "site"))
    admin = harness.people.admin
    await harness.rig.send_text(admin, "/exportar csv public")
    assert files["data/cases.csv"] == sent_document(harness, admin.id)[1]
    await harness.rig.send_text(admin, "/exportar json public")
    exported = json.loads(sent_document(harness, admin.id)[1])
    published = json.loads(files["data/cases.json"])
    assert published["columns"] == exported["columns"]
    assert published["cases"] == exported["cases"]
    assert published["scope"] == "public"
    # Byte for byte the export's JSON of the same cases, though written in batches.
    cases = await harness.services.exports.cases(public=True)
    same = render(cases, file_format="json", scope=PUBLIC, generated_at=published["generated_at"])
    assert files["data/cases.json"] == same


async def test_pages_link_each_other_the_data_and_the_feed(
    harness: BotHarness, tmp_path: Path
) -> None:
    await seed(harness)
    files = tree(await build(harness, tmp_path / "site"))
    spanish, english = files["index.html"].decode(), files["en/index.html"].decode()
    assert '<html lang="es">' in spanish and '<html lang="en">' in english
    assert 'href="en/index.html" hreflang="en"' in spanish
    assert 'href="../index.html" hreflang="es"' in english
    for page, prefix in ((spanish, ""), (english, "../")):
        for name in ("data/cases.csv", "data/cases.json", "data/figures.json"):
            assert f'href="{prefix}{name}"' in page
        assert 'href="releases.xml"' in page
    assert "Última actualización: 10 de enero de 2026" in spanish
    assert "Solo casos que nuestro equipo verificó uno por uno." in spanish
    assert "Lee esta página en español" in english and "Read this page in English" in spanish
    assert "Last updated: January 10, 2026" in english
    for feed, page in (("releases.xml", "Excarcelación verificada"), ("en/releases.xml", "")):
        root = ElementTree.fromstring(files[feed])  # noqa: S314 - the site's own file
        entries = root.findall(f"{ATOM}entry")
        # Cases 5, 6 and 7's first release; the merged case's release is not counted.
        assert [(e.findtext(f"{ATOM}updated") or "")[:10] for e in entries] == [
            "2026-01-09", "2025-12-20", "2025-10-15",
        ]  # fmt: skip
        assert root.findtext(f"{ATOM}updated") == "2026-01-10T11:00:00-04:00"
        assert page in (entries[0].findtext(f"{ATOM}title") or "")


async def test_the_methodology_is_the_ngos_markdown_escaped(
    harness: BotHarness, tmp_path: Path
) -> None:
    folder = harness.settings.database_path.parent
    (folder / "methodology.es.md").write_text(
        "# Cómo contamos\n\nSolo casos *verificados*. <script>alert(1)</script>\n\n"
        "![foto](https://example.org/x.png) [informe](https://example.org/informe)\n"
        "[mal](javascript:alert(1))\n",
        encoding="utf-8",
    )
    files = tree(await build(harness, tmp_path / "site"))
    spanish, english = files["index.html"].decode(), files["en/index.html"].decode()
    assert "<h3>Cómo contamos</h3>" in spanish
    assert "<em>verificados</em>" in spanish
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in spanish
    assert "<img" not in spanish and 'href="javascript' not in spanish
    assert '<a href="https://example.org/informe">informe</a>' in spanish
    # No English file: the default methodology, in English.
    assert "<h3>What we count</h3>" in english


def _entry_ids(feed: bytes) -> list[str]:
    root = ElementTree.fromstring(feed)  # noqa: S314 - the site's own file
    return [entry.findtext(f"{ATOM}id") or "" for entry in root.findall(f"{ATOM}entry")]


async def test_feed_entries_keep_their_ids_when_the_same_day_gets_another_release(
    harness: BotHarness, tmp_path: Path
) -> None:
    await seed(harness)
    before = _entry_ids(tree(await build(harness, tmp_path / "first"))["releases.xml"])
    assert all(re.fullmatch(r"urn:vigia:release:[0-9a-f]{24}", entry) for entry in before)
    # Case 1, older than case 7, is released on the day case 7 was (9 January).
    await grant(harness, harness.people.moderator, Role.MODERATOR)
    answer = await harness.rig.send_text(
        harness.people.moderator, "/excarcelar C1 09/01/2026 full_release"
    )
    assert any("C1" in str(call.params.get("text")) for call in answer)
    after = _entry_ids(tree(await build(harness, tmp_path / "second"))["releases.xml"])
    assert len(after) == len(before) + 1
    assert set(before) <= set(after)
