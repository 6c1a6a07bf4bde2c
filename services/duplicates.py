"""Possible duplicates of a new report among the stored cases, ranked in memory.

Built once at startup from the cases table: each name is decrypted once and only its
normalised form is kept (lower case, accents stripped, tokens sorted), so "Pérez
Rodríguez, José" and "jose perez rodriguez" are the same string and plain
`fuzz.ratio` over it is a token-sort ratio without re-sorting 100,000 names per query.
Cédulas are kept as 64-bit prefixes of their keyed hashes and detention days as a
sorted array, both in compact `array`s, so 100,000 cases cost a few megabytes.

Ranking: the same cédula first (score 100); then 0.9 × name similarity plus up to 10
points when the detention dates are within 15 days (the closer, the more), never above
99. Near the date, partial names ("José Pérez" for "José Luis Pérez Rodríguez") also
count, through a token-set ratio over those few.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from array import array
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from domain.cedula import normalise_cedula
from domain.i18n import N_
from storage.cases import NAME_CONTEXT
from storage.crypto import FieldCipher
from storage.figures import CaseIdentity
from storage.reports import CEDULA_PURPOSE

REASON_CEDULA = "cedula"
REASON_NAME = "name"
REASON_DATE = "date"
REASON_LABELS = {
    REASON_CEDULA: N_("same cédula"),
    REASON_NAME: N_("similar name"),
    REASON_DATE: N_("detained within 15 days"),
}

DATE_WINDOW_DAYS = 15
NAME_WEIGHT = 0.9
DATE_BOOST = 10.0
NAME_CUTOFF = 75.0  # anywhere: a clearly similar name
NEAR_CUTOFF = 60.0  # within the date window, where a weaker name is still worth a look
PARTIAL_PENALTY = 5.0  # a token-set match (a partial name) counts a little less
MIN_SCORE = 60.0
NAME_POOL = 50
NEAR_POOL = 4_000  # the cases detained closest in time that the window looks at
SCAN_SLICE = 10_000  # names handed to rapidfuzz per call when scanning the whole index
CEDULA_SCORE = 100.0
BEST_NAME_SCORE = 99.0  # a name alone never outranks the same cédula
_NO_VALUE = 0
_KEY_BYTES = 8
_NO_CEDULA = bytes(_KEY_BYTES)
_ONE = (1).to_bytes(_KEY_BYTES, "big")
_SLOT_BITS = 32
_TOKEN = re.compile(r"[^\W_]+")
# Accents left over after NFKD decomposition (the combining diacritical marks block).
_MARKS = re.compile("[\u0300-\u036f]")


@dataclass(frozen=True, slots=True)
class Suggestion:
    case_id: int
    score: float
    reasons: tuple[str, ...]


class IndexedCase(Protocol):
    """What `update_case` reads of a case (storage.cases.Case has it)."""

    @property
    def id(self) -> int: ...
    @property
    def person_name(self) -> str: ...
    @property
    def cedula(self) -> str | None: ...
    @property
    def detained_on(self) -> dt.date | None: ...
    @property
    def merged_into(self) -> int | None: ...


def normalise_name(name: str) -> str:
    """Lower case, no accents, tokens sorted: the form every comparison uses."""
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", name.casefold()))
    return " ".join(sorted(_TOKEN.findall(plain)))


def _cedula_key(cedula_hash: str | None) -> bytes:
    """The first 8 bytes of the keyed hash (collisions: ~1 in 10^9 at 100,000 cases)."""
    if not cedula_hash:
        return _NO_CEDULA
    key = bytes.fromhex(cedula_hash[: _KEY_BYTES * 2])
    return _ONE if key == _NO_CEDULA else key


def _find_all(buffer: bytes | bytearray, needle: bytes) -> list[int]:
    """Slots whose fixed-width value is `needle`: a C-speed byte search, kept aligned."""
    width = len(needle)
    slots: list[int] = []
    position = buffer.find(needle)
    while position >= 0:
        if position % width == 0:
            slots.append(position // width)
            position = buffer.find(needle, position + width)
        else:
            position = buffer.find(needle, position + 1)
    return slots


def _best_names(query: str, names: list[str]) -> list[tuple[float, int]]:
    """The `NAME_POOL` names closest to `query` (score, slot), best first.

    rapidfuzz prepares every choice of a call at once (tens of bytes each), so the
    whole index in one call would add megabytes to the peak for a moment; slices of
    `SCAN_SLICE` names cost a tenth of that and no time.
    """
    best: list[tuple[float, int]] = []
    for start in range(0, len(names), SCAN_SLICE):
        best += (
            (score, start + position)
            for _, score, position in process.extract(
                query,
                names[start : start + SCAN_SLICE],
                scorer=fuzz.ratio,
                processor=None,
                limit=NAME_POOL,
                score_cutoff=NAME_CUTOFF,
            )
        )
    # Stable: on a tie the lower slot stays first, as one call over every name ranks it.
    best.sort(key=lambda item: -item[0])
    return best[:NAME_POOL]


def _day(value: dt.date | None) -> int:
    return value.toordinal() if value is not None else _NO_VALUE


class DuplicateIndex:
    """Every unmerged case by normalised name, cédula hash and detention day."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher
        self._ids = array("q")  # slot -> case id, 0 for a free slot
        self._names: list[str] = []  # slot -> normalised name
        self._cedulas = bytearray()  # slot -> 8-byte cédula key, zeros for none
        self._days = array("i")  # slot -> detention day ordinal
        self._by_day = array("q")  # sorted (day << 32 | slot), for the date window
        self._free: list[int] = []

    def _clear(self) -> None:
        self._ids, self._names, self._cedulas = array("q"), [], bytearray()
        self._days, self._by_day, self._free = array("i"), array("q"), []

    def __len__(self) -> int:
        return len(self._ids) - len(self._free)

    async def build(self, batches: AsyncIterable[Iterable[CaseIdentity]]) -> None:
        """Load every case (replacing whatever was held), decrypting each name once."""
        self._clear()
        # Equal names (common ones recur) share one string while the index is built.
        shared: dict[str, str] = {}
        by_day: list[int] = []
        async for batch in batches:
            for identity in batch:
                plain = self._cipher.decrypt(
                    identity.person_name_enc, context=NAME_CONTEXT, row=identity.case_id
                )
                name = normalise_name(plain or "")
                slot = len(self._ids)
                self._ids.append(identity.case_id)
                self._names.append(shared.setdefault(name, name))
                self._cedulas += _cedula_key(identity.cedula_hash)
                day = _day(identity.detained_on)
                self._days.append(day)
                if day != _NO_VALUE:
                    by_day.append(day << _SLOT_BITS | slot)
        by_day.sort()
        self._by_day = array("q", by_day)

    def add_case(
        self, case_id: int, name: str, cedula_hash: str | None, detained_on: dt.date | None
    ) -> None:
        """Index a case, or re-index it if it is already held."""
        self._drop(case_id)
        slot = self._free.pop() if self._free else len(self._ids)
        values = (normalise_name(name), _cedula_key(cedula_hash), _day(detained_on))
        if slot == len(self._ids):
            self._ids.append(case_id)
            self._names.append(values[0])
            self._cedulas += values[1]
            self._days.append(values[2])
        else:
            self._ids[slot] = case_id
            self._names[slot], self._days[slot] = values[0], values[2]
            self._set_cedula(slot, values[1])
        if values[2] != _NO_VALUE:
            bisect.insort(self._by_day, values[2] << _SLOT_BITS | slot)

    async def update_case(self, case: IndexedCase) -> None:
        """Follow a created or changed case (after the desk's commit); merged ones leave."""
        if case.merged_into is not None:
            self._drop(case.id)
            return
        cedula = normalise_cedula(case.cedula) if case.cedula else None
        cedula_hash = self._cipher.lookup_hash(cedula, purpose=CEDULA_PURPOSE) if cedula else None
        self.add_case(case.id, case.person_name, cedula_hash, case.detained_on)

    async def remove_case(self, case_id: int) -> None:
        self._drop(case_id)

    def suggest(
        self,
        name: str,
        cedula: str | None,
        detained_on: dt.date | None,
        limit: int = 3,
        *,
        cedula_hash: str | None = None,
    ) -> list[Suggestion]:
        """The best `limit` cases for a report, best first (a cédula or its hash)."""
        if cedula_hash is None and cedula:
            normalised = normalise_cedula(cedula) or cedula.strip().upper()
            cedula_hash = self._cipher.lookup_hash(normalised, purpose=CEDULA_PURPOSE)
        query = normalise_name(name)
        found: dict[int, _Match] = {}
        if cedula_hash:
            for slot in _find_all(self._cedulas, _cedula_key(cedula_hash)):
                found[slot] = _Match(cedula=True)
        if query:
            for score, slot in _best_names(query, self._names):
                found.setdefault(slot, _Match()).name = score
            self._score_near(query, _day(detained_on), found)
        ranked = []
        for slot, match in found.items():
            score, reasons = match.rank(self._days[slot], _day(detained_on))
            if match.cedula or score >= MIN_SCORE:
                ranked.append(Suggestion(int(self._ids[slot]), score, reasons))
        # Same cédula first, then by score; the older case first on a tie.
        ranked.sort(
            key=lambda item: (REASON_CEDULA not in item.reasons, -item.score, item.case_id)
        )
        return ranked[:limit]

    def _score_near(self, query: str, day: int, found: dict[int, _Match]) -> None:
        """Names of cases detained within the window, scored more leniently."""
        if day == _NO_VALUE:
            return
        low = bisect.bisect_left(self._by_day, (day - DATE_WINDOW_DAYS) << _SLOT_BITS)
        high = bisect.bisect_left(self._by_day, (day + DATE_WINDOW_DAYS + 1) << _SLOT_BITS)
        if high - low > NEAR_POOL:
            # A wave of arrests: keep the cost bounded by looking at the closest days.
            centre = bisect.bisect_left(self._by_day, day << _SLOT_BITS)
            low = max(low, min(centre - NEAR_POOL // 2, high - NEAR_POOL))
            high = low + NEAR_POOL
        mask = (1 << _SLOT_BITS) - 1
        slots = [key & mask for key in self._by_day[low:high]]
        names = [self._names[slot] for slot in slots]
        for scorer, penalty in ((fuzz.ratio, 0.0), (fuzz.token_set_ratio, PARTIAL_PENALTY)):
            for _, score, position in process.extract(
                query,
                names,
                scorer=scorer,
                processor=None,
                limit=NAME_POOL,
                score_cutoff=NEAR_CUTOFF + penalty,
            ):
                match = found.setdefault(slots[position], _Match())
                match.name = max(match.name, score - penalty)

    def _set_cedula(self, slot: int, key: bytes) -> None:
        self._cedulas[slot * _KEY_BYTES : (slot + 1) * _KEY_BYTES] = key

    def _drop(self, case_id: int) -> None:
        needle = array("q", (case_id,)).tobytes()
        slots = _find_all(self._ids.tobytes(), needle)
        if not slots:
            return
        slot = slots[0]
        day = self._days[slot]
        if day != _NO_VALUE:
            position = bisect.bisect_left(self._by_day, day << _SLOT_BITS | slot)
            del self._by_day[position]
        self._ids[slot] = _NO_VALUE
        self._names[slot] = ""
        self._set_cedula(slot, _NO_CEDULA)
        self._days[slot] = _NO_VALUE
        self._free.append(slot)


class _Match:
    """What matched for one candidate while a query is being ranked."""

    __slots__ = ("cedula", "name")

    def __init__(self, *, cedula: bool = False) -> None:
        self.cedula = cedula
        self.name = 0.0

    def rank(self, case_day: int, query_day: int) -> tuple[float, tuple[str, ...]]:
        reasons: list[str] = []
        if self.cedula:
            reasons.append(REASON_CEDULA)
        if self.name >= NEAR_CUTOFF:
            reasons.append(REASON_NAME)
        near = _NO_VALUE not in (case_day, query_day) and (
            abs(case_day - query_day) <= DATE_WINDOW_DAYS
        )
        if near:
            reasons.append(REASON_DATE)
        if self.cedula:
            return CEDULA_SCORE, tuple(reasons)
        boost = (
            DATE_BOOST * (1 - abs(case_day - query_day) / (DATE_WINDOW_DAYS + 1)) if near else 0
        )
        return round(min(NAME_WEIGHT * self.name + boost, BEST_NAME_SCORE), 1), tuple(reasons)
