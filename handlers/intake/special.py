"""Questions with their own rules: cédula, age, dates, evidence, receipt codes, conditions."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

from domain.cedula import CedulaProblem, display_cedula, parse_cedula
from domain.dates import DateProblem, parse_past_date
from domain.i18n import Translator
from domain.receipts import format_receipt, normalise_receipt
from domain.vocabulary import RELEASE_CONDITIONS, ReportKind
from handlers.intake import reasons
from handlers.intake.callbacks import DONE
from handlers.intake.draft import Draft, EvidenceItem
from handlers.intake.incoming import EVIDENCE_CONTENT, Content, Incoming
from handlers.intake.steps import (
    Advance,
    Button,
    Finish,
    Notice,
    Outcome,
    Redraw,
    Retry,
    Step,
    Turn,
    simplify,
)
from services.status_texts import lockout_text

MAX_AGE = 120
MAX_EVIDENCE = 5
COURT_PRESENTATION = "court_presentation"
# Choosing one of these clears the others, and the other way round.
EXCLUSIVE_CONDITIONS = frozenset({"full_release", "unknown"})


class CedulaStep(Step):
    """Optional; normalised; the same cédula from this chat within a day stops here."""

    def __init__(
        self,
        key: str,
        label: str,
        prompt: str,
        kind: ReportKind,
        *,
        when: Callable[[Draft], bool] | None = None,
    ) -> None:
        super().__init__(key, label, prompt, optional=True, when=when)
        self.kind = kind

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        result = parse_cedula(text)
        if result.value is None:
            problem = result.problem or CedulaProblem.NOT_A_NUMBER
            return Retry(reasons.cedula(turn.t, problem, len(re.sub(r"\D", "", text))))
        earlier = await turn.services.reports.same_person_recently(
            turn.chat_id, result.value, self.kind
        )
        if earlier is not None and earlier.receipt_code:
            return Finish(same_person_text(turn.t))
        turn.draft.cedula = result.value
        return Advance()

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        return Retry(reasons.wants_text(turn.t, incoming.content, voice_ok=False))

    def clear(self, draft: Draft) -> None:
        draft.cedula = None

    def shown(self, t: Translator, draft: Draft) -> str | None:
        return html.escape(display_cedula(draft.cedula)) if draft.cedula else None


def same_person_text(t: Translator) -> str:
    return t.gettext(
        "You already reported this person in the last 24 hours, so I did not make a new "
        "report. Its receipt code is the one you got then; /misreportes shows it after "
        "your PIN.\n\n"
        "To add news to it, send /reportar and choose «News on an earlier report»."
    )


class AgeStep(Step):
    MINOR = "minor"
    _TYPED_MINOR = frozenset({"menor", "menor de edad", "menor de 18", "under 18", "minor"})

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        return [[(t.gettext("Under 18"), self.MINOR)]]

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        if value != self.MINOR:
            return Retry(reasons.choose_a_button(turn.t))
        turn.draft.age, turn.draft.is_minor = None, True
        return Advance()

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        typed = simplify(text)
        if typed in self._TYPED_MINOR:
            return await self.on_choice(turn, self.MINOR)
        number = typed.removesuffix(" anos").removesuffix(" years").removesuffix(" years old")
        if not number.isdecimal() or int(number) > MAX_AGE:
            return Retry(reasons.age(turn.t))
        turn.draft.age = int(number)
        turn.draft.is_minor = turn.draft.age < 18
        return Advance()

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        return Retry(reasons.wants_text(turn.t, incoming.content, voice_ok=False))

    def clear(self, draft: Draft) -> None:
        draft.age, draft.is_minor = None, False

    def shown(self, t: Translator, draft: Draft) -> str | None:
        if draft.age is not None:
            return t.number(draft.age)
        return t.gettext("Under 18") if draft.is_minor else None


class DateStep(Step):
    """A past date since 2014: typed, or one tap for today and yesterday.

    With `not_before`, the draft field holding a date this one cannot precede (a release
    is never dated before the detention: `domain.story`)."""

    def __init__(
        self, key: str, label: str, prompt: str, field: str, *, not_before: str | None = None
    ) -> None:
        super().__init__(key, label, prompt)
        self.field = field
        self.not_before = not_before

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        return [[(t.gettext("Today"), "0"), (t.gettext("Yesterday"), "1")]]

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        if value not in ("0", "1"):
            return Retry(reasons.choose_a_button(turn.t))
        return self._keep(turn, turn.today - dt.timedelta(days=int(value)))

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        result = parse_past_date(text, turn.today)
        if result.value is None:
            return Retry(reasons.date(turn.t, result.problem or DateProblem.UNREADABLE))
        return self._keep(turn, result.value)

    def _keep(self, turn: Turn, day: dt.date) -> Outcome:
        bound = getattr(turn.draft, self.not_before) if self.not_before else None
        if bound is not None and day < dt.date.fromisoformat(bound):
            return Retry(reasons.before_detention(turn.t, dt.date.fromisoformat(bound)))
        setattr(turn.draft, self.field, day.isoformat())
        return Advance()

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        return Retry(reasons.wants_text(turn.t, incoming.content, voice_ok=False))

    def shown(self, t: Translator, draft: Draft) -> str | None:
        value = getattr(draft, self.field)
        return t.date(dt.date.fromisoformat(value)) if value else None


class EvidenceStep(Step):
    """Up to five photos, documents or voice notes, kept as file ids; then Done."""

    @property
    def required(self) -> bool:
        return False  # "Done" with no file is an answer: there is no evidence

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        return [[(t.gettext("✅ Done"), DONE)]]

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        if value != DONE:
            return Retry(reasons.choose_a_button(turn.t))
        return Advance()

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        return Retry(reasons.wants_files(turn.t, Content.TEXT))

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        t = turn.t
        if incoming.content not in EVIDENCE_CONTENT or not incoming.file_id:
            return Retry(reasons.wants_files(t, incoming.content))
        evidence = turn.draft.evidence
        if len(evidence) >= MAX_EVIDENCE:
            return Retry(
                t.gettext(
                    "You have already sent {limit} files, the most I can keep with one "
                    "report, so I did not keep this one. Press «Done» to continue."
                ).format(limit=t.number(MAX_EVIDENCE))
            )
        evidence.append(EvidenceItem(incoming.file_id, incoming.content.value, incoming.file_size))
        return Notice(
            t.gettext("Received ({count} of {limit}). Send more, or press «Done».").format(
                count=t.number(len(evidence)), limit=t.number(MAX_EVIDENCE)
            )
        )

    def clear(self, draft: Draft) -> None:
        draft.evidence = []

    def shown(self, t: Translator, draft: Draft) -> str | None:
        count = len(draft.evidence)
        if not count:
            return None
        return t.ngettext("{count} file", "{count} files", count).format(count=t.number(count))


class ReceiptStep(Step):
    """The receipt code of an earlier report (release, news); unknown codes get one answer."""

    WITHOUT = "nocode"

    def __init__(self, key: str, label: str, prompt: str, *, allow_without: bool) -> None:
        super().__init__(key, label, prompt)
        self.allow_without = allow_without

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        if not self.allow_without:
            return []
        return [[(t.gettext("I don't have a code"), self.WITHOUT)]]

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        if value != self.WITHOUT or not self.allow_without:
            return Retry(reasons.choose_a_button(turn.t))
        draft = turn.draft
        draft.parent_report_id = draft.parent_receipt = draft.parent_detained_on = None
        return Advance()

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        code = normalise_receipt(text)
        if code is None:
            return Retry(reasons.receipt_shape(turn.t))
        # A code typed here is a guess like one sent to /estado: the same throttle,
        # the same lockout (a private chat's id is its user's id).
        throttle = turn.services.throttle
        lockout = await throttle.locked(turn.chat_id)
        if lockout is not None:
            return Retry(lockout_text(turn.t, lockout))
        earlier = await turn.services.reports.by_receipt(code)
        if earlier is None:
            started = await throttle.record_failure(turn.chat_id)
            if started is not None:
                return Retry(lockout_text(turn.t, started))
            return Retry(reasons.receipt_unknown(turn.t))
        draft = turn.draft
        draft.parent_report_id, draft.parent_receipt = earlier.id, code
        # The earlier report names the person; what was typed for it no longer applies.
        draft.person_name = draft.cedula = None
        # Another family's code gives nothing of its report back, not even its date
        # through "that date is before the detention": moderators check that one.
        own = await turn.services.reports.is_reporter(earlier.id, turn.chat_id)
        case = await turn.services.cases.get(earlier.case_id) if earlier.case_id else None
        detained = case.detained_on if case is not None else earlier.detained_on
        detained = detained if own else None
        draft.parent_detained_on = detained.isoformat() if detained else None
        if draft.released_on and detained and dt.date.fromisoformat(draft.released_on) < detained:
            # A release date typed before this code is now impossible: Confirm asks again.
            draft.released_on = None
        return Advance()

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        return Retry(reasons.wants_text(turn.t, incoming.content, voice_ok=False))

    def shown(self, t: Translator, draft: Draft) -> str | None:
        if draft.parent_receipt:
            return format_receipt(draft.parent_receipt)
        return t.gettext("no code") if self.allow_without else None


class ConditionsStep(Step):
    """Release conditions: tick as many as apply, then Done."""

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        rows: list[list[Button]] = [
            [
                (
                    ("☑️ " if choice.code in draft.conditions else "▫️ ") + t.gettext(choice.label),
                    choice.code,
                )
            ]
            for choice in RELEASE_CONDITIONS
        ]
        rows.append([(t.gettext("✅ Done"), DONE)])
        return rows

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        draft = turn.draft
        if value == DONE:
            if not draft.conditions:
                return Retry(turn.t.gettext("Please tick at least one condition, or «Unknown»."))
            if COURT_PRESENTATION not in draft.conditions:
                draft.presentation_days = None
            return Advance()
        if value not in {choice.code for choice in RELEASE_CONDITIONS}:
            return Retry(reasons.choose_a_button(turn.t))
        self._toggle(draft, value)
        return Redraw()

    @staticmethod
    def _toggle(draft: Draft, code: str) -> None:
        if code in draft.conditions:
            draft.conditions.remove(code)
            return
        if code in EXCLUSIVE_CONDITIONS:
            draft.conditions = [code]
            return
        draft.conditions = [c for c in draft.conditions if c not in EXCLUSIVE_CONDITIONS]
        draft.conditions.append(code)

    def clear(self, draft: Draft) -> None:
        draft.conditions = []

    def shown(self, t: Translator, draft: Draft) -> str | None:
        labels = [t.gettext(c.label) for c in RELEASE_CONDITIONS if c.code in draft.conditions]
        return html.escape(", ".join(labels)) if labels else None


class NumberStep(Step):
    """A whole number in a range (days between court presentations)."""

    def __init__(
        self,
        key: str,
        label: str,
        prompt: str,
        field: str,
        low: int,
        high: int,
        *,
        when: Callable[[Draft], bool] | None = None,
    ) -> None:
        super().__init__(key, label, prompt, when=when)
        self.field, self.low, self.high = field, low, high

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        typed = simplify(text).removesuffix(" dias").removesuffix(" days")
        if not typed.isdecimal() or not self.low <= int(typed) <= self.high:
            return Retry(reasons.days(turn.t, self.low, self.high))
        setattr(turn.draft, self.field, int(typed))
        return Advance()

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        return Retry(reasons.wants_text(turn.t, incoming.content, voice_ok=False))

    def clear(self, draft: Draft) -> None:
        setattr(draft, self.field, None)

    def shown(self, t: Translator, draft: Draft) -> str | None:
        value = getattr(draft, self.field)
        if value is None:
            return None
        return t.ngettext("every {count} day", "every {count} days", value).format(
            count=t.number(value)
        )
