"""The fixed lists of DESIGN.md: stored as stable codes, shown as translated labels.

Codes never change once data exists (figures, exports and imports rely on them);
labels are marked with `N_` and translated when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.i18n import N_


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    label: str


class ReportKind(StrEnum):
    DETENTION = "detention"
    RELEASE = "release"
    UPDATE = "update"


class ReportState(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    VERIFIED = "verified"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class CaseState(StrEnum):
    DETAINED = "detained"
    DISAPPEARED = "disappeared"
    HOUSE_ARREST = "house_arrest"
    RELEASED = "released"
    DECEASED = "deceased"
    CLOSED = "closed"


# Still deprived of liberty: house arrest counts with the detained, never as a release.
DEPRIVED_OF_LIBERTY = (CaseState.DETAINED, CaseState.DISAPPEARED, CaseState.HOUSE_ARREST)


class CaseEventKind(StrEnum):
    """Dated events on a case (`case_events.kind`); figures count these."""

    VERIFIED = "verified"
    DISAPPEARED = "disappeared"
    HOUSE_ARREST = "house_arrest"
    RELEASE = "release"
    REARREST = "rearrest"
    TRANSFER = "transfer"
    DEATH = "death"
    CLOSED = "closed"
    MERGED = "merged"


REPORT_STATE_LABELS = {
    ReportState.RECEIVED: N_("received, waiting for review"),
    ReportState.IN_REVIEW: N_("being reviewed"),
    ReportState.NEEDS_INFO: N_("we need more information"),
    ReportState.VERIFIED: N_("verified"),
    ReportState.REJECTED: N_("not verified"),
    ReportState.DUPLICATE: N_("joined to a case we already follow"),
}

CASE_STATE_LABELS = {
    CaseState.DETAINED: N_("detained"),
    CaseState.DISAPPEARED: N_("detained, whereabouts unknown"),
    CaseState.HOUSE_ARREST: N_("under house arrest"),
    CaseState.RELEASED: N_("released"),
    CaseState.DECEASED: N_("died in custody"),
    CaseState.CLOSED: N_("closed"),
}

SEXES = (
    Choice("female", N_("Woman")),
    Choice("male", N_("Man")),
    Choice("other", N_("Other")),
)

AFFILIATIONS = (
    Choice("civilian", N_("Civilian")),
    Choice("military_active", N_("Military (active)")),
    Choice("military_retired", N_("Military (retired)")),
)

# The 23 states, the Capital District and the Federal Dependencies.
FEDERAL_ENTITIES = (
    Choice("amazonas", "Amazonas"),
    Choice("anzoategui", "Anzoátegui"),
    Choice("apure", "Apure"),
    Choice("aragua", "Aragua"),
    Choice("barinas", "Barinas"),
    Choice("bolivar", "Bolívar"),
    Choice("carabobo", "Carabobo"),
    Choice("cojedes", "Cojedes"),
    Choice("delta_amacuro", "Delta Amacuro"),
    Choice("distrito_capital", "Distrito Capital"),
    Choice("falcon", "Falcón"),
    Choice("guarico", "Guárico"),
    Choice("lara", "Lara"),
    Choice("merida", "Mérida"),
    Choice("miranda", "Miranda"),
    Choice("monagas", "Monagas"),
    Choice("nueva_esparta", "Nueva Esparta"),
    Choice("portuguesa", "Portuguesa"),
    Choice("sucre", "Sucre"),
    Choice("tachira", "Táchira"),
    Choice("trujillo", "Trujillo"),
    Choice("la_guaira", "La Guaira"),
    Choice("yaracuy", "Yaracuy"),
    Choice("zulia", "Zulia"),
    Choice("dependencias_federales", "Dependencias Federales"),
)

DETAINING_BODIES = (
    Choice("sebin", "SEBIN"),
    Choice("dgcim", "DGCIM"),
    Choice("pnb", "PNB"),
    Choice("gnb", "GNB"),
    Choice("cicpc", "CICPC"),
    Choice("daet_faes", "DAET/FAES"),
    Choice("state_police", N_("State police")),
    Choice("municipal_police", N_("Municipal police")),
    Choice("colectivos", N_("Armed civilian groups (colectivos)")),
    Choice("other", N_("Other")),
    Choice("unknown", N_("Unknown")),
)

PLACES = (
    Choice("helicoide", "El Helicoide"),
    Choice("zona7", "Zona 7 (Boleíta)"),
    Choice("rodeo1", "Rodeo I"),
    Choice("tocoron", "Tocorón"),
    Choice("tocuyito", "Tocuyito"),
    Choice("yare", "Yare"),
    Choice("crisalida", N_("La Crisálida (women)")),
    Choice("police_cells", N_("Police cells")),
    Choice("other", N_("Other")),
    Choice("unknown", N_("Unknown")),
)

RELEASE_CONDITIONS = (
    Choice("court_presentation", N_("Court presentation every few days")),
    Choice("travel_ban", N_("Travel ban")),
    Choice("press_ban", N_("Ban on speaking to the press")),
    Choice("house_arrest", N_("House arrest")),
    Choice("full_release", N_("Full release")),
    Choice("unknown", N_("Unknown")),
)

REJECT_REASONS = (
    Choice("insufficient", N_("Insufficient information")),
    Choice("not_detention", N_("Not a detention")),
    Choice("false_report", N_("False report")),
    Choice("out_of_scope", N_("Out of scope")),
)


def label_for(choices: tuple[Choice, ...], code: str | None) -> str | None:
    """The untranslated label of a code, or None for an unknown code."""
    for choice in choices:
        if choice.code == code:
            return choice.label
    return None


def codes(choices: tuple[Choice, ...]) -> frozenset[str]:
    return frozenset(choice.code for choice in choices)
