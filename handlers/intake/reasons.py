"""Why an answer was not accepted, said precisely, in the reporter's language."""

from __future__ import annotations

import datetime as dt

from domain.cedula import CedulaProblem
from domain.dates import DateProblem
from domain.i18n import Translator
from handlers.intake.incoming import Content


def empty(t: Translator) -> str:
    return t.gettext("That answer is empty. Please type it.")


def too_long(t: Translator, length: int, limit: int) -> str:
    return t.gettext(
        "That is too long: {length} characters, and the limit here is {limit}. Please shorten it."
    ).format(length=t.number(length), limit=t.number(limit))


def needs_letters(t: Translator) -> str:
    return t.gettext("A name needs letters. Please type the person's full name.")


def choose_a_button(t: Translator) -> str:
    return t.gettext("Please choose one of the buttons below.")


def wants_text(t: Translator, content: Content, voice_ok: bool) -> str:
    """A message of the wrong kind where a typed answer (or a voice note) was asked."""
    _ = t.gettext
    if content is Content.STICKER:
        reason = _("I can't read stickers.")
    elif content is Content.LOCATION:
        reason = _("I can't use a location here.")
    elif content in (Content.VOICE, Content.AUDIO):
        reason = _("Voice notes are welcome only where a question says so.")
    elif content in (Content.PHOTO, Content.DOCUMENT, Content.VIDEO):
        reason = _("Photos and files are welcome later, in the evidence question.")
    else:
        reason = _("I can't use that here.")
    ask = (
        _("Please type your answer or send a voice note.")
        if voice_ok
        else _("Please type your answer.")
    )
    return f"{reason} {ask}"


def wants_buttons(t: Translator, content: Content) -> str:
    _ = t.gettext
    if content is Content.STICKER:
        reason = _("I can't read stickers.")
    elif content is Content.LOCATION:
        reason = _("I can't use a location here.")
    else:
        reason = _("I can't use that here.")
    return f"{reason} {choose_a_button(t)}"


def wants_files(t: Translator, content: Content) -> str:
    _ = t.gettext
    if content is Content.TEXT:
        return _(
            "Here I need photos, documents or voice notes. When you have sent them all, "
            "press «Done»."
        )
    if content is Content.VIDEO:
        return _(
            "I can't keep videos as they are. Send the video as a file (attach it as a "
            "document), or press «Done»."
        )
    return _(
        "I can only keep photos, documents and voice notes as evidence. Send one of "
        "those, or press «Done»."
    )


def cedula(t: Translator, problem: CedulaProblem, digits: int) -> str:
    _ = t.gettext
    if problem is CedulaProblem.EMPTY:
        return empty(t)
    if problem is CedulaProblem.BAD_LETTER:
        return _(
            "A cédula starts with V (Venezuelan) or E (foreign), or with no letter at all. "
            "Please check it."
        )
    if problem in (CedulaProblem.TOO_SHORT, CedulaProblem.TOO_LONG):
        return _("A cédula has 6 to 9 digits; this one has {count}. Please check it.").format(
            count=t.number(digits)
        )
    return _(
        "That does not look like a cédula. Write it like V-12.345.678 or E-81234567, "
        "or just the digits."
    )


def date(t: Translator, problem: DateProblem) -> str:
    _ = t.gettext
    if problem is DateProblem.EMPTY:
        return empty(t)
    if problem is DateProblem.IMPOSSIBLE:
        return _(
            "That date does not exist. Please check the day and the month "
            "(day first, like 15/01/2026)."
        )
    if problem is DateProblem.FUTURE:
        return _("That date is in the future. Please send the day it happened.")
    if problem is DateProblem.TOO_OLD:
        return _("Vigía's records begin in 2014, and that date is earlier. Please check the year.")
    return _(
        "I could not read that date. Write it like 15/01/2026 or 15/1/26, or write "
        "«today», «yesterday» or a weekday such as «Monday»."
    )


def before_detention(t: Translator, detained_on: dt.date) -> str:
    return t.gettext(
        "That date is before the detention ({date}) of the earlier report. Please send "
        "the day of the release."
    ).format(date=t.date(detained_on))


def age(t: Translator) -> str:
    return t.gettext("Please write the age as a number from 0 to 120, or press «Under 18».")


def days(t: Translator, low: int, high: int) -> str:
    return t.gettext("Please write a number of days from {low} to {high}.").format(
        low=t.number(low), high=t.number(high)
    )


def receipt_shape(t: Translator) -> str:
    return t.gettext(
        "A receipt code has 16 digits, like 8306 1947 5521 0638. Please check it and send it "
        "again."
    )


def receipt_unknown(t: Translator) -> str:
    return t.gettext("I can't find a report with that code. Please check it and send it again.")
