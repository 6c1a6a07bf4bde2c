"""The bot's neutral face: its name, description and short description, per language.

Telegram shows the name in every chat list, the description in an empty chat ("What
can this bot do?") and the short description on the bot's profile and when it is
shared: a searched phone shows them before anything else, so they default to words
any reminders bot could use. Each setting is one text for every language, or a JSON
object by language (`{"es": "Recordatorios", "en": "Reminders"}`); an empty text
leaves what was set with @BotFather alone. The @username and the picture can only be
set with @BotFather (README).
"""

from __future__ import annotations

import json

from domain.i18n import N_, SUPPORTED_LANGUAGES
from domain.operator_text import SettingProblem
from domain.operator_text import text as problem

PerLanguage = dict[str, str]

# Telegram's limits (setMyName, setMyDescription, setMyShortDescription).
NAME_LIMIT = 64
DESCRIPTION_LIMIT = 512
SHORT_DESCRIPTION_LIMIT = 120

DEFAULT_NAME: PerLanguage = {"es": "Recordatorios", "en": "Reminders"}
DEFAULT_DESCRIPTION: PerLanguage = {
    "es": "Recordatorios y avisos. Pulsa «Iniciar» para ver las opciones.",
    "en": "Reminders and notices. Press «Start» to see the options.",
}
DEFAULT_SHORT_DESCRIPTION: PerLanguage = {"es": "Recordatorios", "en": "Reminders"}


def per_language(value: object, limit: int) -> PerLanguage:
    """A setting's text for each supported language; SettingProblem says what is wrong."""
    if isinstance(value, dict):
        texts = value
    elif isinstance(value, str) and value.strip().startswith("{"):
        try:
            texts = json.loads(value)
        except json.JSONDecodeError as exc:
            raise SettingProblem(
                problem(N_("is not a JSON object of texts by language: {reason}"), reason=exc.msg)
            ) from None
        if not isinstance(texts, dict):
            raise SettingProblem(problem(N_("is not a JSON object of texts by language")))
    elif isinstance(value, str):
        texts = dict.fromkeys(SUPPORTED_LANGUAGES, value)
    else:
        raise SettingProblem(problem(N_("must be a text, or a JSON object of texts by language")))
    unknown = sorted(str(key) for key in texts if key not in SUPPORTED_LANGUAGES)
    if unknown:
        raise SettingProblem(
            problem(
                N_("unknown language {unknown} (use {known})"),
                unknown=", ".join(unknown),
                known="/".join(SUPPORTED_LANGUAGES),
            )
        )
    result: PerLanguage = {}
    for language in SUPPORTED_LANGUAGES:
        text = str(texts.get(language, "")).strip()
        if len(text) > limit:
            raise SettingProblem(
                problem(
                    N_("the {language} text is longer than Telegram's {limit} characters"),
                    language=language,
                    limit=limit,
                )
            )
        result[language] = text
    return result
