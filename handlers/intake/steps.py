"""Questions as small objects: what to ask, which buttons, what an answer does.

The engine (engine.py) owns the conversation; a step only reads an answer into the
draft and says what happens next through an `Outcome`. Steps are shared between
flows (the name question is the same in a detention and in a release report).
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from domain.dates import local_today
from domain.i18n import Translator
from domain.vocabulary import Choice
from handlers.intake import reasons
from handlers.intake.callbacks import PAGE
from handlers.intake.draft import Draft
from handlers.intake.incoming import Content, Incoming
from services.container import Services
from storage.clock import to_iso

Button = tuple[str, str]  # (label shown, value in the callback data)
SUMMARY_PREVIEW = 300


@dataclass(slots=True)
class Turn:
    """One answer being handled: who, in which language, with which draft."""

    t: Translator
    draft: Draft
    services: Services
    chat_id: int
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return local_today(self.now, ZoneInfo(self.services.settings.timezone))


@dataclass(frozen=True, slots=True)
class Advance:
    """The answer is stored: go to the next question."""


@dataclass(frozen=True, slots=True)
class Retry:
    """The answer cannot be used: say why and ask again."""

    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Stay on this question; say something (with its buttons), e.g. "photo 2 of 5"."""

    text: str


@dataclass(frozen=True, slots=True)
class Redraw:
    """Stay on this question and redraw its buttons in place (pages, ticks)."""


@dataclass(frozen=True, slots=True)
class Finish:
    """End the conversation here with this message (the draft is discarded)."""

    text: str


Outcome = Advance | Retry | Notice | Redraw | Finish


def simplify(text: str) -> str:
    """Lower case, no accents, single spaces: for matching typed answers to buttons."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().strip(" .,;:!?¡¿").split())


def preview(text: str) -> str:
    shortened = text if len(text) <= SUMMARY_PREVIEW else text[: SUMMARY_PREVIEW - 1] + "…"
    return html.escape(shortened)


class Step:
    """A question. Subclasses override what they accept."""

    def __init__(
        self,
        key: str,
        label: str,
        prompt: str,
        *,
        optional: bool = False,
        when: Callable[[Draft], bool] | None = None,
    ) -> None:
        self.key = key
        self.label = label  # N_-marked: the answer's name in the summary and edit list
        self._prompt = prompt  # N_-marked
        self.optional = optional
        self._when = when

    def applies(self, draft: Draft) -> bool:
        return self._when is None or self._when(draft)

    @property
    def required(self) -> bool:
        """Whether the summary may be confirmed without an answer here."""
        return not self.optional

    def prompt(self, t: Translator, draft: Draft) -> str:
        return t.gettext(self._prompt)

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        return []

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        return Retry(reasons.choose_a_button(turn.t))

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        return Retry(reasons.choose_a_button(turn.t))

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        return Retry(reasons.wants_buttons(turn.t, incoming.content))

    def clear(self, draft: Draft) -> None:
        """Forget the answer (Skip)."""

    def shown(self, t: Translator, draft: Draft) -> str | None:
        """The answer as the summary shows it (HTML-safe), None if unanswered."""
        return None


class TextStep(Step):
    """A typed answer with a length limit; optionally a voice note instead."""

    def __init__(
        self,
        key: str,
        label: str,
        prompt: str,
        field: str,
        limit: int,
        *,
        optional: bool = False,
        letters: bool = False,
        voice_field: str | None = None,
        when: Callable[[Draft], bool] | None = None,
    ) -> None:
        super().__init__(key, label, prompt, optional=optional, when=when)
        self.field = field
        self.limit = limit
        self.letters = letters
        self.voice_field = voice_field

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        value = text.strip()
        if not value:
            return Retry(reasons.empty(turn.t))
        if len(value) > self.limit:
            return Retry(reasons.too_long(turn.t, len(value), self.limit))
        if self.letters and not any(char.isalpha() for char in value):
            return Retry(reasons.needs_letters(turn.t))
        setattr(turn.draft, self.field, value)
        if self.voice_field is not None:
            setattr(turn.draft, self.voice_field, None)
        return Advance()

    async def on_media(self, turn: Turn, incoming: Incoming) -> Outcome:
        voice = incoming.content in (Content.VOICE, Content.AUDIO)
        if self.voice_field is not None and voice and incoming.file_id:
            setattr(turn.draft, self.voice_field, incoming.file_id)
            setattr(turn.draft, self.field, None)
            return Advance()
        return Retry(reasons.wants_text(turn.t, incoming.content, self.voice_field is not None))

    def clear(self, draft: Draft) -> None:
        setattr(draft, self.field, None)
        if self.voice_field is not None:
            setattr(draft, self.voice_field, None)

    def shown(self, t: Translator, draft: Draft) -> str | None:
        value = getattr(draft, self.field)
        if value:
            return preview(str(value))
        if self.voice_field is not None and getattr(draft, self.voice_field):
            return t.gettext("🎤 a voice note")
        return None


class ChoiceStep(Step):
    """One of a fixed list, as buttons (paged when long); typing a label works too."""

    def __init__(
        self,
        key: str,
        label: str,
        prompt: str,
        field: str,
        choices: Sequence[Choice],
        *,
        optional: bool = False,
        columns: int = 2,
        page_size: int = 0,
        then: Callable[[Draft], None] | None = None,
        when: Callable[[Draft], bool] | None = None,
    ) -> None:
        super().__init__(key, label, prompt, optional=optional, when=when)
        self.field = field
        self.choices = tuple(choices)
        self.columns = columns
        self.page_size = page_size or len(self.choices)
        self._then = then

    @property
    def pages(self) -> int:
        return -(-len(self.choices) // self.page_size)

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        page = min(max(page, 0), self.pages - 1)
        shown = self.choices[page * self.page_size : (page + 1) * self.page_size]
        cells = [(t.gettext(choice.label), choice.code) for choice in shown]
        rows = [
            cells[index : index + self.columns] for index in range(0, len(cells), self.columns)
        ]
        if self.pages > 1:
            turner: list[Button] = []
            if page > 0:
                turner.append((t.gettext("◀️ Previous"), f"{PAGE}{page - 1}"))
            if page < self.pages - 1:
                turner.append((t.gettext("More ▶️"), f"{PAGE}{page + 1}"))
            rows.append(turner)
        return rows

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        if value not in {choice.code for choice in self.choices}:
            return Retry(reasons.choose_a_button(turn.t))
        setattr(turn.draft, self.field, value)
        if self._then is not None:
            self._then(turn.draft)
        return Advance()

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        code = self.match(turn.t, text)
        if code is None:
            return Retry(reasons.choose_a_button(turn.t))
        return await self.on_choice(turn, code)

    def match(self, t: Translator, text: str) -> str | None:
        """The one choice a typed text names (whole label, or the start of only one)."""
        typed = simplify(text)
        if not typed:
            return None
        labels = {choice.code: simplify(t.gettext(choice.label)) for choice in self.choices}
        exact = [code for code, label in labels.items() if typed in (label, code)]
        if exact:
            return exact[0]
        starts = [code for code, label in labels.items() if label.startswith(typed)]
        return starts[0] if len(starts) == 1 and len(typed) >= 3 else None

    def clear(self, draft: Draft) -> None:
        setattr(draft, self.field, None)

    def shown(self, t: Translator, draft: Draft) -> str | None:
        code = getattr(draft, self.field)
        for choice in self.choices:
            if choice.code == code:
                return html.escape(t.gettext(choice.label))
        return None


class ConsentStep(Step):
    """Yes or no, stored with the moment it was given."""

    YES = "yes"
    NO = "no"
    _TYPED_YES = frozenset({"si", "s", "yes", "y", "claro", "ok", "de acuerdo"})
    _TYPED_NO = frozenset({"no", "n"})

    def __init__(self, key: str, label: str, prompt: str, field: str) -> None:
        super().__init__(key, label, prompt)
        self.field = field

    def buttons(self, t: Translator, draft: Draft, page: int = 0) -> list[list[Button]]:
        return [[(t.gettext("✅ Yes"), self.YES), (t.gettext("No"), self.NO)]]

    async def on_choice(self, turn: Turn, value: str) -> Outcome:
        if value not in (self.YES, self.NO):
            return Retry(reasons.choose_a_button(turn.t))
        given = value == self.YES
        setattr(turn.draft, self.field, given)
        setattr(turn.draft, f"{self.field}_at", to_iso(turn.now) if given else None)
        return Advance()

    async def on_text(self, turn: Turn, text: str) -> Outcome:
        typed = simplify(text)
        if typed in self._TYPED_YES:
            return await self.on_choice(turn, self.YES)
        if typed in self._TYPED_NO:
            return await self.on_choice(turn, self.NO)
        return Retry(reasons.choose_a_button(turn.t))

    def shown(self, t: Translator, draft: Draft) -> str | None:
        given = getattr(draft, self.field)
        if given is None:
            return None
        return t.gettext("Yes") if given else t.gettext("No")
