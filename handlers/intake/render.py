"""How a question, the summary and the edit list look: text plus inline keyboard."""

from __future__ import annotations

from domain.i18n import N_, Translator
from handlers.intake import callbacks
from handlers.intake.draft import EDIT, SUMMARY, Draft
from handlers.intake.flows import Flow
from handlers.intake.steps import Button, Step
from handlers.sending import Rows

CONFIRM = "confirm"
CHANGE = "change"
_SKIPPED = "—"

STALE_BUTTON = N_("That button is from an earlier message. Here is the current question.")


def screen(
    t: Translator, flow: Flow, draft: Draft, *, prefix: str | None = None, page: int = 0
) -> tuple[str, Rows]:
    """The message for where the draft is now, with `prefix` (a reason) on top."""
    if draft.step == SUMMARY:
        body, rows = summary(t, flow, draft)
    elif draft.step == EDIT:
        body, rows = edit_list(t, flow, draft)
    else:
        step = flow.step(draft.step)
        if step is None:
            raise LookupError(f"no step {draft.step} in flow {flow.code}")
        body, rows = question(t, step, draft, page)
    text = f"{prefix}\n\n{body}" if prefix else body
    return text, keyboard(draft, rows)


def question(
    t: Translator, step: Step, draft: Draft, page: int = 0
) -> tuple[str, list[list[Button]]]:
    body = step.prompt(t, draft)
    current = step.shown(t, draft)
    if current is not None:
        body += "\n\n" + t.gettext("<i>Your answer so far: {answer}</i>").format(answer=current)
    rows = step.buttons(t, draft, page)
    nav: list[Button] = []
    if draft.history or draft.edit_root:
        nav.append((t.gettext("⬅️ Back"), callbacks.BACK))
    if step.optional:
        nav.append((t.gettext("Skip ⏭"), callbacks.SKIP))
    nav.append((t.gettext("✖️ Cancel"), callbacks.CANCEL))
    return body, [*rows, nav]


def summary(t: Translator, flow: Flow, draft: Draft) -> tuple[str, list[list[Button]]]:
    lines = [t.gettext("<b>Please check your report</b>"), t.gettext(flow.title), ""]
    for step in flow.applicable(draft):
        value = step.shown(t, draft) or _SKIPPED
        lines.append(f"<b>{t.gettext(step.label)}:</b> {value}")
    lines += ["", t.gettext("Is everything right? Nothing is sent until you confirm.")]
    rows: list[list[Button]] = [
        [(t.gettext("✅ Confirm and send"), CONFIRM)],
        [(t.gettext("✏️ Change an answer"), CHANGE)],
        [(t.gettext("✖️ Cancel"), callbacks.CANCEL)],
    ]
    return "\n".join(lines), rows


def edit_list(t: Translator, flow: Flow, draft: Draft) -> tuple[str, list[list[Button]]]:
    cells = [(t.gettext(step.label), step.key) for step in flow.applicable(draft)]
    rows = [cells[index : index + 2] for index in range(0, len(cells), 2)]
    rows.append([(t.gettext("⬅️ Back"), callbacks.BACK)])
    return t.gettext("Which answer do you want to change?"), rows


def keyboard(draft: Draft, rows: list[list[Button]]) -> Rows:
    """The step's buttons, each carrying the draft's token and the open question."""
    return [
        [(label, callbacks.question(draft.token, draft.step, value)) for label, value in row]
        for row in rows
        if row
    ]


def chooser(t: Translator) -> tuple[str, Rows]:
    """What to report: the three flows."""
    return t.gettext("What would you like to report?"), [
        [(t.gettext("📝 A detention"), callbacks.start("det"))],
        [(t.gettext("🔓 A release"), callbacks.start("rel"))],
        [(t.gettext("📰 News on an earlier report"), callbacks.start("upd"))],
    ]


def draft_offer(t: Translator, flow: Flow, draft: Draft) -> tuple[str, Rows]:
    """A draft is waiting: continue it, or discard it."""
    text = t.gettext(
        "You have a report in progress ({title}), last answered {time}. Continue where you "
        "left off, or discard it and start again?"
    ).format(title=t.gettext(flow.title), time=t.datetime(draft.updated(), "short"))
    return text, [
        [(t.gettext("▶️ Continue"), callbacks.resume(flow.code, draft.token))],
        [(t.gettext("🗑 Discard it"), callbacks.discard(draft.token))],
    ]
