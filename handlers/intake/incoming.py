"""What the reporter sent, reduced to what a question can use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from telegram import Message


class Content(StrEnum):
    TEXT = "text"
    VOICE = "voice"
    AUDIO = "audio"
    PHOTO = "photo"
    DOCUMENT = "document"
    VIDEO = "video"
    STICKER = "sticker"
    LOCATION = "location"
    OTHER = "other"


# What the evidence question keeps (voice notes and audio recordings alike).
EVIDENCE_CONTENT = frozenset({Content.PHOTO, Content.DOCUMENT, Content.VOICE, Content.AUDIO})


@dataclass(frozen=True, slots=True)
class Incoming:
    content: Content
    text: str | None = None
    file_id: str | None = None
    file_size: int | None = None


def read_message(message: Message) -> Incoming:
    if message.text is not None:
        return Incoming(Content.TEXT, text=message.text)
    if message.voice is not None:
        return Incoming(Content.VOICE, file_id=message.voice.file_id, file_size=_size(message))
    if message.audio is not None:
        return Incoming(Content.AUDIO, file_id=message.audio.file_id, file_size=_size(message))
    if message.photo:
        largest = message.photo[-1]
        return Incoming(Content.PHOTO, file_id=largest.file_id, file_size=largest.file_size)
    if message.document is not None:
        return Incoming(
            Content.DOCUMENT, file_id=message.document.file_id, file_size=_size(message)
        )
    if message.video is not None or message.video_note is not None:
        return Incoming(Content.VIDEO)
    if message.sticker is not None:
        return Incoming(Content.STICKER)
    if message.location is not None or message.venue is not None:
        return Incoming(Content.LOCATION)
    return Incoming(Content.OTHER)


def _size(message: Message) -> int | None:
    media = message.voice or message.audio or message.document
    return media.file_size if media is not None else None
