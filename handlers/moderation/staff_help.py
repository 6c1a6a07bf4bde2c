"""/ayuda for staff: the commands of their role, in their language, after the help
every user gets.

The public help is the same for everyone (it is what a family's phone shows); a staff
member's private chat gets a second message with their role's commands, each named
in their language. The menu (`menu.py`) lists the same commands; a few that take an
argument or a file (/ask, /block, /export, …) are only here.
"""

from __future__ import annotations

from domain.i18n import N_, Translator
from handlers.commands import MenuCommand
from handlers.moderation.menu import ADMIN_COMMANDS, BROADCAST_COMMANDS, DESK_COMMANDS
from handlers.moderation.roles import role_label
from storage.roles import Role

DESK_EXTRA: tuple[MenuCommand, ...] = (
    MenuCommand(
        "preguntar", "ask", N_("Send a report's reporter a question; the answer comes here")
    ),
    MenuCommand("block", "block", N_("Keep a user's future reports apart from the queue")),
    MenuCommand("unblock", "unblock", N_("Lift a block")),
)
ADMIN_EXTRA: tuple[MenuCommand, ...] = (
    MenuCommand("exportar", "export", N_("The public case list as a file (csv or json)")),
    MenuCommand("importar", "import", N_("Create or update cases from a CSV file")),
    MenuCommand("backup", "backup", N_("An encrypted backup of the database")),
)
SECTIONS: tuple[tuple[str, tuple[Role, ...], tuple[MenuCommand, ...]], ...] = (
    (N_("Moderation desk"), (Role.MODERATOR, Role.ADMIN), DESK_COMMANDS + DESK_EXTRA),
    (N_("Broadcasts"), (Role.BROADCASTER, Role.ADMIN), BROADCAST_COMMANDS),
    (N_("Administration"), (Role.ADMIN,), ADMIN_COMMANDS + ADMIN_EXTRA),
)


def staff_help_text(t: Translator, role: Role) -> str:
    """The commands `role` may use, by area, named in `t`'s language."""
    lines = [t.gettext("<b>Your commands as {role}</b>").format(role=role_label(t, role))]
    for title, roles, entries in SECTIONS:
        if role not in roles:
            continue
        lines.append("")
        lines.append(f"<b>{t.gettext(title)}</b>")
        lines.extend(
            f"• /{entry.name_for(t.language)}: {t.gettext(entry.description)}" for entry in entries
        )
    return "\n".join(lines)
