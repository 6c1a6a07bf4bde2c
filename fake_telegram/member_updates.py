"""`chat_member` updates as Telegram sends them to a bot that administers a group.

Someone joins (`left` → `member`), leaves (`member` → `left`) or is removed
(→ `kicked`); `by` is who made the change (the person themself for a join by link).
"""

from __future__ import annotations

from fake_telegram.records import FakeUser, JSONDict
from fake_telegram.state import FakeTelegram


def chat_member_update(
    fake: FakeTelegram,
    chat_id: int,
    user: FakeUser,
    *,
    old: str = "left",
    new: str = "member",
    by: FakeUser | None = None,
) -> JSONDict:
    """The change of `user`'s membership in group `chat_id` from `old` to `new`."""
    fake.register_user(user)
    change: JSONDict = {
        "chat": fake.chat(chat_id),
        "from": (by or user).to_dict(),
        "date": int(fake.clock()),
        "old_chat_member": _member(user, old),
        "new_chat_member": _member(user, new),
    }
    return {"update_id": fake.next_update_id(), "chat_member": change}


def _member(user: FakeUser, status: str) -> JSONDict:
    member: JSONDict = {"status": status, "user": user.to_dict()}
    if status == "kicked":
        member["until_date"] = 0
    return member
