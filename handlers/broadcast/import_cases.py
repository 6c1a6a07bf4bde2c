"""/import (admins, private chat): a CSV in the full export's columns creates or updates cases.

`/import` then the file, or the file with `/import` as its caption. First a dry run
lists the rows to create, to update and the rejected ones with their row numbers and
reasons; nothing is saved until Confirm, which downloads the file again, plans again
on the current data and applies it in one transaction (one audit event per case).
Only the file's Telegram id waits between the two steps, never its contents: in the
database (`CaseImport.hold`), under a token the buttons carry, so Confirm still works
after a restart and a second press finds nothing left to apply. Afterwards the
duplicate index learns the created and changed cases, so the next report about an
imported person is suggested to the moderators.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    CallbackQuery,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.case_rows import ImportedCase, RowProblem, parse_row
from domain.csv_format import FULL_COLUMNS, CsvFormatError, read_csv
from domain.i18n import N_, Translator
from handlers.broadcast.access import is_admin
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.replies import not_available, reply, stale_button
from storage.case_import import ImportPlan

logger = logging.getLogger(__name__)

WAITING = "waiting_file"
END = ConversationHandler.END
CONFIRM_PREFIX, CANCEL_PREFIX = "imp:go:", "imp:no:"
# getFile serves bots files of up to 20 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
SHOWN_PROBLEMS = 20


async def begin(update: Update, context: VigiaContext) -> str | int:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return END
    if chat.type != ChatType.PRIVATE or not await is_admin(context, user.id):
        await not_available(update, context)
        return END
    if message.document is not None:
        return await _check_file(update, context, message.document)
    t = await context.translator(update)
    await message.reply_text(
        t.gettext(
            "Send the case list as a CSV file, with the columns of <code>/export csv full</code> "
            "(only person_name and state are required). I will first show what would change; "
            "nothing is saved before you confirm. /cancel stops."
        )
    )
    return WAITING


async def got_file(update: Update, context: VigiaContext) -> str | int:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.document is None:
        return WAITING
    if not await is_admin(context, user.id):
        await not_available(update, context)
        return END
    return await _check_file(update, context, message.document)


async def not_a_file(update: Update, context: VigiaContext) -> str:
    await reply(update, context, N_("Send the CSV as a file (a document), or /cancel."))
    return WAITING


async def _read(
    context: VigiaContext, t: Translator, file_id: str
) -> tuple[list[ImportedCase], list[RowProblem]] | str:
    """The file's rows checked one by one, or why the file cannot be read at all."""
    try:
        telegram_file = await context.bot.get_file(file_id)
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        logger.warning("import_download_failed error=%s", type(exc).__name__)
        return t.gettext("I could not download the file from Telegram. Send it again.")
    try:
        rows = read_csv(data, FULL_COLUMNS)
    except CsvFormatError as exc:
        params = {key: html.escape(value) for key, value in exc.params.items()}
        return t.gettext("This file cannot be read as a CSV case list ({problem}).").format(
            problem=t.gettext(exc.reason).format(**params)
        )
    services = context.services
    today = services.clock.now().astimezone(ZoneInfo(services.settings.timezone)).date()
    cases: list[ImportedCase] = []
    problems: list[RowProblem] = []
    for number, cells in rows:
        parsed = parse_row(number, cells, today)
        if isinstance(parsed, RowProblem):
            problems.append(parsed)
        else:
            cases.append(parsed)
    if not cases and not problems:
        return t.gettext("The file has a header but no rows.")
    return cases, problems


async def _check_file(update: Update, context: VigiaContext, document: Document) -> str | int:
    message = update.effective_message
    if message is None:
        return END
    t = await context.translator(update)
    if document.file_size is not None and document.file_size > MAX_FILE_BYTES:
        await message.reply_text(t.gettext("The file is too large (20 MB at most)."))
        return WAITING
    read = await _read(context, t, document.file_id)
    if isinstance(read, str):
        await message.reply_text(read)
        return WAITING
    services = context.services
    plan = await services.case_import.dry_run(*read)
    keyboard = None
    user = update.effective_user
    if plan.writes and user is not None:
        token = await services.case_import.hold(user.id, document.file_id)
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t.gettext("✅ Import"), callback_data=CONFIRM_PREFIX + token
                    ),
                    InlineKeyboardButton(
                        t.gettext("✖️ Cancel"), callback_data=CANCEL_PREFIX + token
                    ),
                ]
            ]
        )
    await message.reply_text(plan_text(t, plan, dry_run=True), reply_markup=keyboard)
    logger.info(
        "import_checked create=%d update=%d rejected=%d",
        len(plan.creates),
        len(plan.updates),
        len(plan.rejected),
    )
    return END


def plan_text(t: Translator, plan: ImportPlan, *, dry_run: bool) -> str:
    _ = t.gettext
    lines = [
        _("<b>Import check: nothing is saved yet</b>")
        if dry_run
        else _("<b>Import done</b>: every change was saved, with one audit event per case."),
        _("To create: {count}").format(count=t.number(len(plan.creates))),
        _("To update: {count}").format(count=t.number(len(plan.updates))),
        _("Already up to date: {count}").format(count=t.number(len(plan.unchanged))),
        _("Rejected: {count}").format(count=t.number(len(plan.rejected))),
    ]
    if dry_run and plan.creates:
        lines.append(
            _("Rows to create: {rows}").format(rows=_row_list([c.row for c in plan.creates]))
        )
    if dry_run and plan.updates:
        lines.append(
            _("Rows to update: {rows}").format(
                rows=_row_list([update.case.row for update in plan.updates])
            )
        )
    for problem in plan.rejected[:SHOWN_PROBLEMS]:
        lines.append(
            _("Row {row}: {reason}").format(row=problem.row, reason=problem_text(t, problem))
        )
    hidden = len(plan.rejected) - SHOWN_PROBLEMS
    if hidden > 0:
        lines.append(_("…and {count} more rejected rows.").format(count=t.number(hidden)))
    if plan.skipped_notes:
        lines.append(
            _(
                "Left out: {count} merge notes of an older export, which named case "
                "numbers of the deployment the file came from."
            ).format(count=t.number(plan.skipped_notes))
        )
    for note in plan.notes[:SHOWN_PROBLEMS]:
        lines.append(_("Row {row}: {reason}").format(row=note.row, reason=problem_text(t, note)))
    if dry_run and not plan.writes:
        lines.append(_("Nothing to import. Correct the file and send it again with /import."))
    elif plan.writes:
        lines.append(
            _(
                "A case file carries cases, not the reports behind them: reports (also "
                "those awaiting verification), their receipt codes and evidence, "
                "announcements, roles and subscribers stay where they were "
                "(docs/EXPORTS.md)."
            )
        )
    return "\n".join(lines)


def problem_text(t: Translator, problem: RowProblem) -> str:
    params = {key: html.escape(value) for key, value in problem.params}
    return t.gettext(problem.reason).format(**params)


def _row_list(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:SHOWN_PROBLEMS])
    return shown + (", …" if len(rows) > SHOWN_PROBLEMS else "")


async def confirm(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    token = query.data.removeprefix(CONFIRM_PREFIX)
    admin_id = query.from_user.id
    t = await context.translator(update)
    if not await is_admin(context, admin_id):
        await query.answer(t.gettext("This command is not available."), show_alert=True)
        return
    services = context.services
    file_id = await services.case_import.pending_file(token, admin_id)
    await query.answer()
    await _clear_buttons(query)
    if file_id is None:
        await _expired(context, t, admin_id)
        return
    read = await _read(context, t, file_id)
    if isinstance(read, str):
        await context.bot.send_message(admin_id, read)
        return
    plan = await services.case_import.apply(*read, actor_id=admin_id, pending=token)
    if plan is None:
        # Pressed twice, or cancelled meanwhile: the first press did (or undid) it.
        await _expired(context, t, admin_id)
        return
    await _index(context, plan.written)
    await context.bot.send_message(admin_id, plan_text(t, plan, dry_run=False))
    logger.info(
        "import_applied created=%d updated=%d rejected=%d",
        len(plan.creates),
        len(plan.updates),
        len(plan.rejected),
    )


async def _clear_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the dry run (already gone when it was pressed twice)."""
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_reply_markup(None)
    except BadRequest as exc:
        logger.info("import_buttons_already_cleared error=%s", type(exc).__name__)


async def _expired(context: VigiaContext, t: Translator, chat_id: int) -> None:
    await context.bot.send_message(
        chat_id,
        t.gettext(
            "That import was already applied, cancelled or has expired. "
            "To import again, send the file with /import."
        ),
    )


async def _index(context: VigiaContext, case_ids: list[int]) -> None:
    """The duplicate index follows the imported cases (merged ones leave it)."""
    services = context.services
    for case_id in case_ids:
        case = await services.cases.get(case_id)
        if case is not None:
            await services.duplicates.update_case(case)


async def cancel_pending(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    dropped = await context.services.case_import.drop(
        query.data.removeprefix(CANCEL_PREFIX), query.from_user.id
    )
    t = await context.translator(update)
    await query.answer()
    await _clear_buttons(query)
    if not dropped:
        await _expired(context, t, query.from_user.id)
        return
    await context.bot.send_message(
        query.from_user.id, t.gettext("Import cancelled: nothing was saved.")
    )


async def cancel(update: Update, context: VigiaContext) -> int:
    t = await context.translator(update)
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, t.gettext("Import cancelled: nothing was saved."))
    return END


def build_handlers() -> list[BaseHandler[Update, VigiaContext, Any]]:
    private = filters.ChatType.PRIVATE
    document = filters.Document.ALL & private
    captioned = document & filters.CaptionRegex(r"^/(import|importar)(@\w+)?(\s|$)")
    cancel_command: CommandHandler[VigiaContext, object] = CommandHandler(
        aliases("cancelar", "cancel"), cancel, filters=private
    )
    # Only the wait for the file is a conversation; the buttons carry their token.
    conversation: ConversationHandler[VigiaContext] = ConversationHandler(
        entry_points=[
            CommandHandler(aliases("importar", "import"), begin, filters=private),
            MessageHandler(captioned, begin),
        ],
        states={
            WAITING: [
                MessageHandler(document, got_file),
                MessageHandler(~filters.COMMAND & private, not_a_file),
            ],
        },
        fallbacks=[cancel_command],
        name="import",
        persistent=True,
        allow_reentry=True,
    )
    return [
        conversation,
        CallbackQueryHandler(confirm, pattern=r"^imp:go:[\w-]+$"),
        CallbackQueryHandler(cancel_pending, pattern=r"^imp:no:[\w-]+$"),
        CallbackQueryHandler(stale_button, pattern=r"^imp:"),
    ]
