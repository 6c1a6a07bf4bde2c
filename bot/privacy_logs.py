"""No personal data in logs, whatever the level, whoever logs.

Vigía's own modules log event names and opaque ids only. Libraries do not: at DEBUG,
python-telegram-bot logs every Bot API call with its parameters and result (message
texts, names, chat ids), every incoming update and every conversation key; httpx logs
URLs carrying the bot token. A logger's filters do not apply to its children's
records, so the redaction sits in the log record factory, which builds every record
of every logger: for loggers outside Vigía the arguments are replaced by a marker
(the message template stays, so "Calling Bot API endpoint `%s`..." still shows that
a call happened), and for every logger an exception keeps its type and stack but
loses its message.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

REDACTED = "<redacted>"
OWN_PACKAGES = frozenset({"bot", "handlers", "storage", "bench"})
_PLACEHOLDER = re.compile(
    r"%(?:%|(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsab])"
)


class _RedactingFactory:
    """Wraps the previous factory; installed at most once per process."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.previous(*args, **kwargs)
        if record.name.partition(".")[0] not in OWN_PACKAGES:
            _redact_arguments(record)
        _redact_exception(record)
        return record


def _redact_arguments(record: logging.LogRecord) -> None:
    if not isinstance(record.msg, str):
        record.msg = REDACTED
    elif record.args:
        # Rewrite the template itself: "%d" or "%.2f" would not accept a marker string.
        record.msg = _PLACEHOLDER.sub(_replace_placeholder, record.msg)
    record.args = ()


def _replace_placeholder(match: re.Match[str]) -> str:
    return "%" if match.group(0) == "%%" else REDACTED


def _redact_exception(record: logging.LogRecord) -> None:
    """Exception messages quote data (a Bad Request can quote the text sent): drop them."""
    if record.exc_info and record.exc_info[0] is not None:
        kind, _, stack = record.exc_info
        record.exc_text = "".join(traceback.format_tb(stack)) + kind.__name__
        record.exc_info = None


def install_log_redaction() -> None:
    current = logging.getLogRecordFactory()
    if isinstance(current, _RedactingFactory):
        return
    logging.setLogRecordFactory(_RedactingFactory(current))
