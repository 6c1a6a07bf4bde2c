"""The three intake flows as ordered questions: detention, release, news.

A step is skipped when it does not apply (the "other place" question only follows
"Other"); Back walks the path actually taken. `chains` says which questions follow
an answer edited from the summary (choosing "Other" asks for the place again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.i18n import N_
from domain.vocabulary import (
    AFFILIATIONS,
    DETAINING_BODIES,
    FEDERAL_ENTITIES,
    PLACES,
    SEXES,
    Choice,
    ReportKind,
)
from handlers.intake.draft import SUMMARY, Draft
from handlers.intake.special import (
    COURT_PRESENTATION,
    AgeStep,
    CedulaStep,
    ConditionsStep,
    DateStep,
    EvidenceStep,
    NumberStep,
    ReceiptStep,
)
from handlers.intake.steps import ChoiceStep, ConsentStep, Step, TextStep

NAME_LIMIT = 120
PLACE_LIMIT = 120
CIRCUMSTANCES_LIMIT = 2000
RELATIONSHIP_LIMIT = 60
NEWS_LIMIT = 1000
OTHER = "other"
UNKNOWN = "unknown"

NEWS_KINDS = (
    Choice("transfer", N_("Moved to another place")),
    Choice("whereabouts", N_("News of where they are")),
    Choice("health", N_("A health concern")),
)


@dataclass(frozen=True, slots=True)
class Flow:
    kind: ReportKind
    code: str  # in callback data
    title: str  # N_-marked
    steps: tuple[Step, ...]
    chains: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def conversation_name(self) -> str:
        return f"intake_{self.kind.value}"

    def step(self, key: str) -> Step | None:
        for step in self.steps:
            if step.key == key:
                return step
        return None

    def first(self, draft: Draft) -> str:
        return self._applicable_from(0, draft)

    def after(self, key: str, draft: Draft) -> str:
        """The question that follows `key` on the way forward, or the summary."""
        keys = [step.key for step in self.steps]
        return self._applicable_from(keys.index(key) + 1, draft)

    def after_edit(self, key: str, draft: Draft) -> str:
        """After an edited answer: its follow-up question if one now applies, else the summary."""
        following = self.after(key, draft)
        root = draft.edit_root or key
        return following if following in self.chains.get(root, ()) else SUMMARY

    def applicable(self, draft: Draft) -> list[Step]:
        return [step for step in self.steps if step.applies(draft)]

    def _applicable_from(self, index: int, draft: Draft) -> str:
        for step in self.steps[index:]:
            if step.applies(draft):
                return step.key
        return SUMMARY


def _clear_other_whereabouts(draft: Draft) -> None:
    if draft.whereabouts != OTHER:
        draft.whereabouts_other = None


def _clear_other_release_place(draft: Draft) -> None:
    if draft.released_from != OTHER:
        draft.released_from_other = None


def _without_code(draft: Draft) -> bool:
    return draft.parent_report_id is None


_NAME = TextStep(
    "name",
    N_("Full name"),
    N_("What is the <b>full name</b> of the person who was detained?"),
    "person_name",
    NAME_LIMIT,
    letters=True,
)
_CONTACT = ConsentStep(
    "contact",
    N_("May we write to you here"),
    N_(
        "May the organisation <b>write to you through this bot</b> if it needs to ask "
        "something or has news about this report?"
    ),
    "contact_consent",
)
_PUBLISH = ConsentStep(
    "publish",
    N_("May the name be published"),
    N_(
        "Once the case is verified, may the person's <b>name appear in the published "
        "lists</b>? If you say no, the case is still counted, without the name."
    ),
    "publish_consent",
)

DETENTION = Flow(
    kind=ReportKind.DETENTION,
    code="det",
    title=N_("Report of a detention"),
    steps=(
        _NAME,
        CedulaStep(
            "cedula",
            N_("Cédula"),
            N_(
                "What is their <b>cédula</b>? For example V-12.345.678. "
                "If you don't have it at hand, press «Skip»."
            ),
            ReportKind.DETENTION,
        ),
        ChoiceStep(
            "sex",
            N_("Sex"),
            N_("Is the person a woman or a man?"),
            "sex",
            SEXES,
            optional=True,
            columns=3,
        ),
        AgeStep(
            "age",
            N_("Age"),
            N_("How old are they? Write the age, or press «Under 18»."),
            optional=True,
        ),
        ChoiceStep(
            "affil",
            N_("Civilian or military"),
            N_("Are they a civilian or military?"),
            "affiliation",
            AFFILIATIONS,
            optional=True,
            columns=1,
        ),
        DateStep(
            "date",
            N_("Date of the detention"),
            N_(
                "<b>When</b> were they detained? Write the date, like 15/01/2026, or "
                "«yesterday», or a weekday."
            ),
            "detained_on",
        ),
        ChoiceStep(
            "entity",
            N_("State"),
            N_("In which <b>state</b> were they detained?"),
            "federal_entity",
            FEDERAL_ENTITIES,
            columns=3,
            page_size=9,
        ),
        TextStep(
            "town",
            N_("Municipality or town"),
            N_("In which <b>municipality or town</b>? (You can press «Skip».)"),
            "municipality",
            PLACE_LIMIT,
            optional=True,
        ),
        ChoiceStep(
            "body",
            N_("Who detained them"),
            N_("<b>Who</b> detained them?"),
            "detaining_body",
            DETAINING_BODIES,
            columns=2,
        ),
        ChoiceStep(
            "where",
            N_("Where they are held"),
            N_("<b>Where</b> are they being held now? If nobody knows, press «Unknown»."),
            "whereabouts",
            PLACES,
            columns=2,
            then=_clear_other_whereabouts,
        ),
        TextStep(
            "where_x",
            N_("Other place"),
            N_("Which place? Please type its name."),
            "whereabouts_other",
            PLACE_LIMIT,
            when=lambda draft: draft.whereabouts == OTHER,
        ),
        TextStep(
            "story",
            N_("What happened"),
            N_(
                "Tell us <b>what happened</b>, in your own words: type it, or send a "
                "voice note if that is easier. (You can press «Skip».)"
            ),
            "circumstances",
            CIRCUMSTANCES_LIMIT,
            optional=True,
            voice_field="circumstances_voice",
        ),
        EvidenceStep(
            "files",
            N_("Evidence"),
            N_(
                "Do you have photos, documents or voice notes that show what happened? "
                "Send up to 5, then press «Done». If you have none, press «Done»."
            ),
        ),
        TextStep(
            "relation",
            N_("Your relationship"),
            N_(
                "What is <b>your relationship</b> to the person? For example: mother, "
                "brother, lawyer, neighbour."
            ),
            "relationship",
            RELATIONSHIP_LIMIT,
        ),
        _CONTACT,
        _PUBLISH,
    ),
    chains={"where": ("where_x",)},
)

RELEASE = Flow(
    kind=ReportKind.RELEASE,
    code="rel",
    title=N_("Report of a release"),
    steps=(
        ReceiptStep(
            "ref",
            N_("Earlier report"),
            N_(
                "If you reported this person's detention here, send the <b>receipt "
                "code</b> of that report. If not, press «I don't have a code»."
            ),
            allow_without=True,
        ),
        TextStep(
            "name",
            N_("Full name"),
            N_("What is the <b>full name</b> of the person who was released?"),
            "person_name",
            NAME_LIMIT,
            letters=True,
            when=_without_code,
        ),
        CedulaStep(
            "cedula",
            N_("Cédula"),
            N_("What is their <b>cédula</b>? If you don't have it at hand, press «Skip»."),
            ReportKind.RELEASE,
            when=_without_code,
        ),
        DateStep(
            "rdate",
            N_("Date of the release"),
            N_("<b>When</b> were they released? Write the date, like 15/01/2026, or «yesterday»."),
            "released_on",
            not_before="parent_detained_on",
        ),
        ConditionsStep(
            "cond",
            N_("Conditions"),
            N_(
                "Under which <b>conditions</b> were they released? Tick all that "
                "apply, then press «Done»."
            ),
        ),
        NumberStep(
            "days",
            N_("Court presentation"),
            N_(
                "Every how many <b>days</b> must they present themselves in court? "
                "Write a number, like 8 or 15."
            ),
            "presentation_days",
            1,
            90,
            when=lambda draft: COURT_PRESENTATION in draft.conditions,
        ),
        ChoiceStep(
            "from",
            N_("Released from"),
            N_("<b>Where</b> were they released from?"),
            "released_from",
            PLACES,
            columns=2,
            then=_clear_other_release_place,
        ),
        TextStep(
            "from_x",
            N_("Other place"),
            N_("Which place? Please type its name."),
            "released_from_other",
            PLACE_LIMIT,
            when=lambda draft: draft.released_from == OTHER,
        ),
        _CONTACT,
        _PUBLISH,
    ),
    chains={"ref": ("name", "cedula"), "cond": ("days",), "from": ("from_x",)},
)

NEWS = Flow(
    kind=ReportKind.UPDATE,
    code="upd",
    title=N_("News on an earlier report"),
    steps=(
        ReceiptStep(
            "ref",
            N_("Earlier report"),
            N_("Send the <b>receipt code</b> of the report this news is about."),
            allow_without=False,
        ),
        ChoiceStep(
            "nkind",
            N_("Kind of news"),
            N_("What is the news about?"),
            "news_kind",
            NEWS_KINDS,
            columns=1,
        ),
        TextStep(
            "ntext",
            N_("The news"),
            N_("Tell us the news in a few words (up to 1,000 characters)."),
            "news_text",
            NEWS_LIMIT,
        ),
        _CONTACT,
    ),
)

FLOWS: dict[str, Flow] = {flow.code: flow for flow in (DETENTION, RELEASE, NEWS)}
FLOW_BY_KIND: dict[str, Flow] = {flow.kind.value: flow for flow in FLOWS.values()}
