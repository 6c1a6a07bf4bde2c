"""Decoding HTTP request bodies (query string, form, JSON, multipart) into plain parameters.

Over HTTP every form value is a string and PTB JSON-encodes the non-string ones, so values are
decoded back per parameter: known text parameters stay strings (a message "123" or "true" must
not turn into a number), the rest are parsed as JSON when they are JSON.
"""

from __future__ import annotations

import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from fake_telegram.records import JSONDict
from fake_telegram.uploads import Upload, attach_uploads

STRING_PARAMS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "url", "title", "description",
        "short_description", "query", "emoji", "first_name", "last_name", "phone_number",
        "address", "name", "secret_token", "ip_address", "file_id", "language_code", "action",
        "vcard", "photo", "document", "voice", "audio", "video", "sticker", "animation",
        "video_note", "thumbnail", "business_connection_id", "message_effect_id",
        "inline_message_id", "callback_data", "chat_id", "from_chat_id", "foursquare_id",
        "google_place_id", "sticker_set_name", "custom_emoji_id",
    }
)  # fmt: skip
JSON_PARAMS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "media", "commands", "scope",
        "menu_button", "allowed_updates", "link_preview_options", "reply_parameters",
        "message_ids", "permissions", "results", "rights", "reaction",
    }
)  # fmt: skip


def parse_body(
    content_type: str, body: bytes, query: str
) -> tuple[JSONDict, dict[str, bytes] | None]:
    """Parameters (plain python) and uploaded files (part -> bytes) of one HTTP request."""
    params: JSONDict = {key: decode_value(key, value) for key, value in parse_qsl(query)}
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return params, None
    if kind == "application/json":
        loaded = json.loads(body)
        if isinstance(loaded, dict):
            for key, value in loaded.items():
                params[key] = decode_json_value(key, value)
        return params, None
    if kind == "multipart/form-data":
        fields, uploads = _parse_multipart(content_type, body)
        params.update({key: decode_value(key, value) for key, value in fields.items()})
        return params, attach_uploads(params, uploads)
    form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    params.update({key: decode_value(key, value) for key, value in form})
    return params, None


def decode_value(key: str, value: str) -> Any:
    """A form value back to python: strings for text parameters, JSON for the rest."""
    if key in ("chat_id", "from_chat_id"):
        return int(value) if _is_int(value) else value
    if key in STRING_PARAMS:
        return value
    try:
        loaded = json.loads(value)
    except ValueError:
        return value
    return value if isinstance(loaded, str) else loaded


def decode_json_value(key: str, value: Any) -> Any:
    """In a JSON body, structured parameters may still arrive as JSON strings."""
    if key in JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _is_int(value: str) -> bool:
    return value.lstrip("-").isdigit()


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    fields: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    for part in message.iter_parts() if isinstance(message, Message) else ():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            uploads[name] = (filename, content, part.get_content_type())
        else:
            charset = part.get_content_charset() or "utf-8"
            fields[name] = content.decode(charset, "replace")
    return fields, uploads
