"""`python -m bot` runs the bot; subcommands cover the shell-side chores."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from telegram import Update

from bot.app import build_application
from bot.export_command import FORMATS, SCOPES, export_command
from bot.figures_command import LANGUAGES as FIGURE_LANGUAGES
from bot.figures_command import figures_command
from bot.health import check_health
from bot.logs import SecretScrubber, configure_logging
from bot.site import site_command
from bot.site_worker import site_worker_command
from bot.startup import run_explained
from domain.i18n import N_
from domain.key_strength import generate_key
from services.backup import backup_command, restore_command, rotate_key_command
from services.operator_language import operator_gettext
from services.settings import Settings, load_settings_or_exit
from storage.clock import Clock

logger = logging.getLogger("bot")


def run(settings: Settings) -> None:
    """Long polling by default; a webhook when WEBHOOK_URL is set."""
    application = build_application(settings)
    if settings.webhook_url:
        secret = settings.webhook_secret_token
        logger.info("webhook_mode port=%d", settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=f"{settings.webhook_url.rstrip('/')}/{settings.webhook_path}",
            secret_token=secret.get_secret_value() if secret else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        logger.info("polling_mode")
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Vigía Telegram bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    sub.add_parser(
        "health", help="exit 0 while the running bot keeps its heartbeat (container checks)"
    )
    demo = sub.add_parser("demo", help="chat with the real bot in this terminal (no token)")
    demo.add_argument("--script", type=Path, help="play one input per line, print the transcript")
    backup = sub.add_parser("backup", help="write an encrypted backup of the database")
    backup.add_argument("path", type=Path)
    restore = sub.add_parser("restore", help="replace the database with a backup (bot stopped)")
    restore.add_argument("path", type=Path)
    sub.add_parser(
        "rotate-key", help="re-encrypt under ENCRYPTION_KEY (old key in ENCRYPTION_OLD_KEYS)"
    )
    export = sub.add_parser(
        "export", help="write the case list to a file (full: every column, decrypted)"
    )
    export.add_argument("scope", choices=SCOPES)
    export.add_argument("path", type=Path)
    export.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
    sub.add_parser(
        "genkey", help="print a new random key (for ENCRYPTION_KEY or WEBHOOK_SECRET_TOKEN)"
    )
    figures = sub.add_parser(
        "figures", help="print the /cifras figures of a public export (no database, no key)"
    )
    figures.add_argument("--from-csv", type=Path, required=True, dest="csv_file")
    figures.add_argument("--lang", choices=FIGURE_LANGUAGES, default="es")
    figures.add_argument("--as-of", help="the day of the figures, 2026-01-31 (default: today)")
    site = sub.add_parser(
        "site", help="write the static site of verified figures and open data to a folder"
    )
    site.add_argument("out_dir", type=Path)
    site.add_argument("--as-of", help="the day of the figures, 2026-01-31 (default: today)")
    site.add_argument("--low-priority", action="store_true", help="run niced (as the bot does)")
    # The process the bot starts to keep SITE_DIR current (bot/site_worker.py): not for people.
    worker = sub.add_parser("site-worker")
    worker.add_argument("out_dir", type=Path)
    worker.add_argument("--low-priority", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "figures":
        # Needs no settings: anyone holding the public file can check the figures.
        raise SystemExit(figures_command(args.csv_file, args.lang, args.as_of))
    if args.command == "genkey":
        # Needs no settings: it is how the first ENCRYPTION_KEY is made.
        print(generate_key())
        raise SystemExit(0)
    if args.command in ("backup", "restore", "rotate-key", "export", "site", "site-worker"):
        settings = load_settings_or_exit(for_running=False)
        configure_logging(settings.log_level, SecretScrubber.for_settings(settings))
        if args.command == "site-worker":
            raise SystemExit(
                site_worker_command(settings, args.out_dir, low_priority=args.low_priority)
            )
        if args.command == "site":
            raise SystemExit(
                site_command(settings, args.out_dir, args.as_of, low_priority=args.low_priority)
            )
        if args.command == "export":
            raise SystemExit(export_command(settings, args.scope, args.file_format, args.path))
        if args.command == "backup":
            raise SystemExit(backup_command(settings, args.path))
        if args.command == "restore":
            raise SystemExit(restore_command(settings, args.path))
        raise SystemExit(rotate_key_command(settings))
    if args.command == "demo":
        raise SystemExit(_demo(args.script))
    if args.command == "health":
        settings = load_settings_or_exit(for_running=False)
        code, line = check_health(settings, Clock().now())
        shown = line.render(operator_gettext(settings.default_language))
        print(f"vigia: {shown}", file=sys.stderr if code else sys.stdout)
        raise SystemExit(code)
    settings = load_settings_or_exit(for_running=True)
    configure_logging(settings.log_level, SecretScrubber.for_settings(settings))
    raise SystemExit(run_explained(settings, run))


def _demo(script: Path | None) -> int:
    """The demo is a development tool: a checkout has it, the runtime wheel does not."""
    try:
        # Imported here: the demo needs no token, key or settings file of its own.
        from demo.player import run_demo
    except ModuleNotFoundError as missing:
        if missing.name not in ("demo", "fake_telegram"):
            raise
        line = N_("the demo runs from a source checkout: make demo (or python -m bot demo there)")
        print(f"vigia: {operator_gettext()(line)}", file=sys.stderr)
        return 2
    return run_demo(script)


if __name__ == "__main__":
    main()
