"""Setuptools' build_py that also compiles the catalogs (pyproject.toml names it).

An installed wheel must speak both languages wherever it runs, so each
`locales/<lang>/LC_MESSAGES/messages.po` is compiled to its `.mo` inside the built
`locales` package, where `domain.i18n` finds it through `importlib.resources`. An
editable install (`make install`) compiles them in place, in the checkout. `.mo`
files are never committed; Babel is a build requirement for this.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "locales"


class BuildPy(build_py):
    """build_py, then every catalog compiled next to the built package."""

    def run(self) -> None:
        super().run()
        target = SOURCE if self.editable_mode else Path(self.build_lib) / "locales"
        for po_file in sorted(SOURCE.glob("*/LC_MESSAGES/*.po")):
            relative = po_file.relative_to(SOURCE).with_suffix(".mo")
            compile_catalog(po_file, target / relative, language=relative.parts[0])

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return list(outputs)
        built = Path(self.build_lib) / "locales"
        compiled = [
            str(built / po_file.relative_to(SOURCE).with_suffix(".mo"))
            for po_file in sorted(SOURCE.glob("*/LC_MESSAGES/*.po"))
        ]
        return [*outputs, *compiled]


def compile_catalog(po_file: Path, mo_file: Path, language: str) -> None:
    """`pybabel compile` of one catalog: fuzzy entries are left out, as Babel does."""
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    mo_file.parent.mkdir(parents=True, exist_ok=True)
    with mo_file.open("wb") as target:
        write_mo(target, catalog)
