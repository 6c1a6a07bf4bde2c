"""One line per invalid setting, named as in the environment, in the operator's words.

Our own checks raise `SettingProblem`, which carries its translatable text; pydantic's
checks of a type or a bound are worded here from the error's type and context, so an
operator reading Spanish does not meet "Input should be a valid integer". An error of
a type not listed keeps pydantic's English message rather than a vaguer one.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from domain.i18n import N_
from domain.operator_text import OperatorText, SettingProblem, text

# pydantic's error type → our wording; the placeholders are keys of the error's `ctx`.
_BY_TYPE: dict[str, str] = {
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "greater_than_equal": N_("must be at least {ge}"),
    "greater_than": N_("must be more than {gt}"),
    "less_than_equal": N_("must be at most {le}"),
    "less_than": N_("must be less than {lt}"),
    "literal_error": N_("must be one of: {expected}"),
    "time_parsing": N_("must be a time of day such as 08:00"),
    "time_type": N_("must be a time of day such as 08:00"),
    "string_type": N_("must be a text"),
    "missing": N_("is required"),
}


def setting_problems(error: ValidationError) -> list[OperatorText]:
    """Each invalid setting once, as `NAME: what is wrong` (a cross-setting check names
    its settings itself)."""
    lines = []
    for item in error.errors():
        problem = _problem(item)
        name = ".".join(str(part) for part in item["loc"]).upper()
        lines.append(
            text(N_("setting {name}: {problem}"), name=name, problem=problem)
            if name
            else text(N_("setting {problem}"), problem=problem)
        )
    return lines


def _problem(item: ErrorDetails) -> OperatorText:
    context: dict[str, Any] = dict(item.get("ctx") or {})
    raised = context.get("error")
    if isinstance(raised, SettingProblem):
        return raised.problem
    wording = _BY_TYPE.get(item["type"])
    if wording is None:
        return text("{detail}", detail=str(item["msg"]).removeprefix("Value error, "))
    return text(wording, **{key: _shown(key, value) for key, value in context.items()})


def _shown(key: str, value: object) -> object:
    if key == "expected" and isinstance(value, str):
        # pydantic words the choices in English ("'es' or 'en'"); the values alone.
        return ", ".join(re.findall(r"'([^']*)'", value)) or value
    # Floats as the operator wrote them: 0, not 0.0.
    return f"{value:g}" if isinstance(value, float) else value
