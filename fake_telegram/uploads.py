"""Multipart uploads as plain records: parameters get a small descriptor, bytes go aside.

Both transports call `attach_uploads`, so a test reads `call.params["photo"]` as
{"filename": ..., "size": ..., "mime_type": ...} and `call.files["photo"]` as the bytes,
whether PTB talked to the fake in process or over HTTP.
"""

from __future__ import annotations

from typing import Any

from fake_telegram.records import JSONDict

ATTACH = "attach://"

Upload = tuple[str, bytes, str]


def attach_uploads(params: JSONDict, uploads: dict[str, Upload]) -> dict[str, bytes]:
    """Replace file parameters and attach:// references by descriptors; return part -> bytes."""
    files = {part: content for part, (_, content, _) in uploads.items()}
    used: set[str] = set()
    for key, value in params.items():
        if isinstance(value, str) and value.startswith(ATTACH):
            params[key] = _resolve(value, uploads, used)
        elif key == "media":
            params[key] = _resolve_media(value, uploads, used)
    for part, upload in uploads.items():
        if part not in used and part not in params:
            params[part] = describe(upload)
    return files


def describe(upload: Upload, attach: str | None = None) -> JSONDict:
    """The record of one uploaded file (its bytes live in `Call.files`)."""
    filename, content, mime_type = upload
    data: JSONDict = {"filename": filename, "size": len(content), "mime_type": mime_type}
    if attach is not None:
        data["attach"] = attach
    return data


def is_upload(value: object) -> bool:
    """Whether a parameter value is an upload descriptor made by `describe`."""
    return isinstance(value, dict) and "filename" in value and "size" in value


def _resolve(value: str, uploads: dict[str, Upload], used: set[str]) -> Any:
    name = value[len(ATTACH) :]
    upload = uploads.get(name)
    if upload is None:
        return value
    used.add(name)
    return describe(upload, attach=name)


def _resolve_media(value: Any, uploads: dict[str, Upload], used: set[str]) -> Any:
    if isinstance(value, list):
        return [_resolve_media(item, uploads, used) for item in value]
    if isinstance(value, dict):
        resolved = dict(value)
        for key in ("media", "thumbnail", "cover"):
            item = resolved.get(key)
            if isinstance(item, str) and item.startswith(ATTACH):
                resolved[key] = _resolve(item, uploads, used)
        return resolved
    if isinstance(value, str) and value.startswith(ATTACH):
        return _resolve(value, uploads, used)
    return value
