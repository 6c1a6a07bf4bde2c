"""Both catalogs are complete, and every string in the code is in them."""

from __future__ import annotations

from bot.i18n_tools import extract_template, problems, read_catalog
from domain.i18n import SUPPORTED_LANGUAGES


def test_every_extracted_message_is_translated_in_both_catalogs() -> None:
    assert problems() == []


def test_catalogs_hold_no_stale_entries() -> None:
    template_ids = {message.id for message in extract_template() if message.id}
    for language in SUPPORTED_LANGUAGES:
        catalog_ids = {message.id for message in read_catalog(language) if message.id}
        assert catalog_ids - template_ids == set(), language
