"""Lines for the person who runs the bot, translated when they are printed.

A setting is checked, and a startup failure recognised, before anything knows which
language to speak (the settings themselves may be what is wrong), so the message is
kept as its English source and its values, and rendered at the edge in the
operator's language (`DEFAULT_LANGUAGE`, see `services.operator_language`). `str()`
gives the English line, so a message that never reaches the edge still reads well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Gettext = Callable[[str], str]


def _untranslated(message: str) -> str:
    return message


@dataclass(frozen=True, slots=True)
class OperatorText:
    """A message marked with `N_()` and its placeholders' values (which may nest)."""

    message: str
    values: Mapping[str, object] = field(default_factory=dict)

    def render(self, gettext: Gettext = _untranslated) -> str:
        values = {
            name: value.render(gettext) if isinstance(value, OperatorText) else value
            for name, value in self.values.items()
        }
        return gettext(self.message).format(**values)

    def __str__(self) -> str:
        return self.render()


def text(message: str, **values: object) -> OperatorText:
    """`text(N_("cannot use {path}"), path=p)`: the source is extracted, the values kept."""
    return OperatorText(message, values)


class SettingProblem(ValueError):
    """A setting's value is wrong; pydantic keeps it, the edge translates it."""

    def __init__(self, problem: OperatorText) -> None:
        super().__init__(str(problem))
        self.problem = problem
