"""Release conditions as moderators type them, in Spanish or in English.

`/excarcelar C5 hoy presentación y prohibición de salida cada 8 días` records what
`/release C5 today court_presentation,travel_ban every 8 days` does. Case, accents,
hyphens and underscores do not matter; conditions are separated by commas, spaces,
«y» or «and». What the bot shows back (usage, buttons) is in the moderator's language.
"""

from __future__ import annotations

import unicodedata

from domain.vocabulary import RELEASE_CONDITIONS, codes

# Besides each code itself (`court_presentation` reads as "court presentation").
_PHRASES: dict[str, tuple[str, ...]] = {
    "court_presentation": (
        "presentation", "presentations", "court presentations",
        "presentacion", "presentaciones", "presentacion en tribunales",
        "presentacion ante el tribunal", "presentacion periodica",
        "regimen de presentacion", "regimen de presentaciones",
    ),
    "travel_ban": (
        "prohibicion de salida", "prohibicion de salida del pais",
        "prohibicion de salir del pais", "prohibicion salida",
    ),
    "press_ban": (
        "ban on speaking to the press", "prohibicion de declarar",
        "prohibicion de declarar a los medios", "prohibicion de hablar con la prensa",
        "prohibicion prensa",
    ),
    "house_arrest": ("arresto domiciliario", "domiciliaria", "casa por carcel"),
    "full_release": ("plena", "libertad plena", "libertad total", "libertad sin condiciones"),
    "unknown": ("desconocido", "desconocida", "desconocidos", "desconocidas", "no se sabe"),
}  # fmt: skip
# The word each language's usage text and question offer for a condition.
_SHOWN = {
    "es": {
        "court_presentation": "presentación",
        "travel_ban": "prohibición de salida",
        "press_ban": "prohibición de declarar",
        "house_arrest": "arresto domiciliario",
        "full_release": "libertad plena",
        "unknown": "desconocido",
    },
}
_SEPARATORS = frozenset({",", "y", "e", "and", "+"})


def _normal(text: str) -> str:
    """Lower case, no accents, underscores and hyphens as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace("_", " ").replace("-", " ")


def _phrase_table() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for code in codes(RELEASE_CONDITIONS):
        for phrase in (code, *_PHRASES.get(code, ())):
            table[tuple(_normal(phrase).split())] = code
    return table


PHRASES = _phrase_table()
_LONGEST = max(len(phrase) for phrase in PHRASES)


def shown_word(code: str, language: str) -> str:
    """How a moderator writing in `language` types the condition."""
    return _SHOWN.get(language, {}).get(code, code)


def _tokens(words: list[str]) -> list[tuple[str, int]]:
    """Each normalised word part with the index of the typed word it came from."""
    tokens: list[tuple[str, int]] = []
    for index, word in enumerate(words):
        for number, part in enumerate(word.split(",")):
            if number:
                tokens.append((",", index))
            tokens.extend((token, index) for token in _normal(part).split())
    return tokens


def _match(tokens: list[tuple[str, int]], start: int) -> tuple[str, int] | None:
    """The longest condition phrase at `start`: its code and length in tokens."""
    for length in range(min(_LONGEST, len(tokens) - start), 0, -1):
        code = PHRASES.get(tuple(token for token, _ in tokens[start : start + length]))
        if code is not None:
            return code, length
    return None


def _word_end(tokens: list[tuple[str, int]], position: int) -> int | None:
    """Past commas that close the word of `tokens[position - 1]`: the index of the next
    word's first token (or the end), or None if the word goes on."""
    word = tokens[position - 1][1]
    while position < len(tokens) and tokens[position] == (",", word):
        position += 1
    if position == len(tokens) or tokens[position][1] != word:
        return position
    return None


def read_conditions(words: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """Condition codes at the start of `words`, and the words after them.

    Conditions end at a typed word's boundary; a word only partly made of conditions
    (`travel_ban,soon`) is left whole for what follows."""
    tokens = _tokens(words)
    found: list[str] = []
    conditions: list[str] = []
    rest = words
    position = 0
    while (match := _match(tokens, position)) is not None:
        code, length = match
        found.append(code)
        position += length
        end = _word_end(tokens, position)
        if end is not None:
            conditions = list(found)
            rest = words[tokens[end][1] :] if end < len(tokens) else []
        following = position
        while following < len(tokens) and tokens[following][0] in _SEPARATORS:
            following += 1
        if _match(tokens, following) is None:
            break
        position = following
    return tuple(dict.fromkeys(conditions)), rest
