"""`FakeRequest`: PTB's HTTP layer replaced by direct calls into a `FakeTelegram`.

This is the path tests and benchmarks take, so it avoids work: parameters come straight from
`RequestData.parameters` (already plain python) and answers skip the JSON round trip: the body
travels as an attribute of the returned bytes and `parse_json_payload` hands it to PTB as is.
PTB only reads those dicts (its `de_json` copies before it changes anything).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import IO, Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from fake_telegram.records import JSONDict
from fake_telegram.state import FakeTelegram
from fake_telegram.uploads import Upload, attach_uploads

_FILE_MARKER = "/file/bot"


class _Answer(bytes):
    """Empty bytes carrying the decoded answer, so PTB needs no `json.loads`."""

    body: JSONDict


class FakeRequest(BaseRequest):
    """A `BaseRequest` whose "network" is a `FakeTelegram` in the same process.

    `json_roundtrip=True` serialises every answer like a real transport (slower, isolated).

    getUpdates long-polls for at most `max_poll_wait` seconds (without blocking the loop), so a
    polling Updater started against the fake neither spins nor stalls shutdown for long.
    """

    __slots__ = ("_fake", "_json_roundtrip", "_max_poll_wait", "_read_timeout")

    def __init__(
        self,
        fake: FakeTelegram,
        *,
        read_timeout: float | None = 5.0,
        max_poll_wait: float = 1.0,
        json_roundtrip: bool = False,
    ) -> None:
        self._fake = fake
        self._json_roundtrip = json_roundtrip
        self._read_timeout = read_timeout
        self._max_poll_wait = max_poll_wait

    @property
    def fake(self) -> FakeTelegram:
        """The fake this request talks to."""
        return self._fake

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout; PTB adds it to getUpdates' own timeout."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Route one request: a file download (GET /file/...) or a Bot API method.

        The timeouts are unused (nothing here waits on a socket), so they are typed as
        `object`, wider than PTB's own `ODVInput[float]`, which lives in the private
        `telegram._utils`: the fake imports nothing private from PTB.
        """
        if method == "GET" and _FILE_MARKER in url:
            return self._download(url)
        name = url[url.rfind("/") + 1 :]
        params: JSONDict = request_data.parameters if request_data is not None else {}
        files: dict[str, bytes] | None = None
        if request_data is not None and request_data.contains_files:
            files = attach_uploads(params, _read_uploads(request_data))
        fake = self._fake
        call = fake.record(name, params, files)
        if call.method == "getUpdates":
            await self._long_poll(params)
        outcome = fake.execute(call)
        if outcome.network == "timeout":
            raise TimedOut("Timed out (injected by FakeTelegram)")
        if outcome.network is not None:
            raise NetworkError("Connection reset (injected by FakeTelegram)")
        if self._json_roundtrip:
            return outcome.status, json.dumps(outcome.body).encode()
        body = outcome.body
        result = body.get("result")
        if isinstance(result, dict):  # PTB may set keys on it (getFile's file_path)
            body = {"ok": True, "result": dict(result)}
        answer = _Answer()
        answer.body = body
        return outcome.status, answer

    @staticmethod
    def parse_json_payload(payload: bytes) -> Any:
        """The answer's body as is; real JSON (downloads, `json_roundtrip`) is parsed."""
        if isinstance(payload, _Answer):
            return payload.body
        return BaseRequest.parse_json_payload(payload)

    async def _long_poll(self, params: JSONDict) -> None:
        timeout = params.get("timeout")
        seconds = float(timeout) if isinstance(timeout, int | float) else 0.0
        wait = min(seconds, self._max_poll_wait)
        offset = params.get("offset")
        if wait <= 0 or self._fake.has_updates(offset):
            return
        loop = asyncio.get_running_loop()
        arrived = asyncio.Event()
        # enqueue_update may run on another thread (a test thread, the HTTP server).
        with self._fake.update_listener(lambda: loop.call_soon_threadsafe(arrived.set)):
            if self._fake.has_updates(offset):
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), wait)

    def _download(self, url: str) -> tuple[int, bytes]:
        path = url[url.find(_FILE_MARKER) + len(_FILE_MARKER) :]
        path = path[path.find("/") + 1 :]
        stored = self._fake.file_at(path)
        if stored is None:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            return 404, json.dumps(body).encode()
        return 200, stored.data()


def _read_uploads(request_data: RequestData) -> dict[str, Upload]:
    uploads: dict[str, Upload] = {}
    for part, (filename, content, mime_type) in request_data.multipart_data.items():
        uploads[part] = (filename, _read(content), mime_type)
    return uploads


def _read(content: bytes | IO[bytes]) -> bytes:
    return content if isinstance(content, bytes) else content.read()
