"""Per-chat message logs and the getUpdates queue: O(1) lookups on the benchmarked path."""

from __future__ import annotations

from collections import deque

from fake_telegram.records import JSONDict, StoredFile, StoredMessage
from fake_telegram.shapes import FILE_DIRS, FILE_ID_PREFIX


class ChatLog:
    """One chat: its `Chat` object, its id counter and its messages keyed by id (in order)."""

    __slots__ = ("chat", "messages", "next_id")

    def __init__(self, chat: JSONDict) -> None:
        self.chat = chat
        self.next_id = 1
        self.messages: dict[int, StoredMessage] = {}


class UpdateQueue:
    """Pending updates with Telegram's offset semantics (an offset confirms older updates)."""

    __slots__ = ("_last_id", "_pending")

    def __init__(self) -> None:
        self._pending: deque[JSONDict] = deque()
        self._last_id = 0

    def next_id(self) -> int:
        """A fresh, increasing update id."""
        self._last_id += 1
        return self._last_id

    def put(self, update: JSONDict) -> None:
        """Queue an update; ids given by hand also move the counter forward."""
        self._last_id = max(self._last_id, int(update["update_id"]))
        self._pending.append(update)

    def has(self, offset: int | None) -> bool:
        """Whether an update with id >= offset is pending."""
        if not self._pending:
            return False
        return offset is None or offset <= 0 or self._pending[-1]["update_id"] >= offset

    def take(self, offset: int | None, limit: int) -> list[JSONDict]:
        """Confirm updates below `offset`, then return up to `limit` of the rest (kept queued).

        A negative offset returns the last -offset updates and forgets everything older.
        """
        if offset is not None and offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
        elif offset is not None:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
        return [self._pending[index] for index in range(min(limit, len(self._pending)))]

    def clear(self) -> int:
        """Drop every pending update (deleteWebhook with drop_pending_updates)."""
        count = len(self._pending)
        self._pending.clear()
        return count

    def __len__(self) -> int:
        return len(self._pending)


class FileStore:
    """Files by id and by download path, with realistic ids that say the kind of file."""

    __slots__ = ("_counter", "by_id", "by_path")

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def new(
        self,
        kind: str,
        size: int,
        content: bytes | None,
        file_name: str | None,
        mime_type: str | None,
        file_id: str | None,
    ) -> StoredFile:
        """Register a file; the path keeps the file name's extension, as Telegram's do."""
        self._counter += 1
        number = self._counter
        prefix = FILE_ID_PREFIX.get(kind, "BQACAgEAAxkBAAI")
        folder, suffix = FILE_DIRS.get(kind, ("documents", ""))
        if file_name and "." in file_name:
            suffix = file_name[file_name.rfind(".") :]
        stored = StoredFile(
            file_id=file_id or f"{prefix}{number:06X}ZmFrZV9maWxl",
            file_unique_id=f"AQAD{number:06X}",
            kind=kind,
            size=size,
            path=f"{folder}/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.by_id[stored.file_id] = stored
        self.by_path[stored.path] = stored
        return stored
