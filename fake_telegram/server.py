"""`FakeTelegramServer`: a `FakeTelegram` on a loopback HTTP port, for a real `python -m bot`.

Stdlib only (ThreadingHTTPServer in a daemon thread). Every handler thread goes through the
fake's lock; getUpdates long-polls on the fake's condition so a polling bot is observable.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from fake_telegram.bodies import parse_body
from fake_telegram.records import Call, JSONDict
from fake_telegram.state import FakeTelegram

_MAX_BODY = 64 * 1024 * 1024


class FakeTelegramServer:
    """Serves `/bot<token>/<method>` and `/file/bot<token>/<path>` on 127.0.0.1:<ephemeral>."""

    def __init__(self, fake: FakeTelegram | None = None, *, max_poll_wait: float = 1.0) -> None:
        self.fake = fake if fake is not None else FakeTelegram()
        self.max_poll_wait = max_poll_wait
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    @property
    def port(self) -> int:
        """The ephemeral port (only while started)."""
        if self._httpd is None:
            raise RuntimeError("FakeTelegramServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """For TELEGRAM_BASE_URL / `Bot(base_url=...)`: the token is appended to it."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For TELEGRAM_BASE_FILE_URL / `Bot(base_file_url=...)`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def stopping(self) -> bool:
        """True once `stop` began: pending long polls return at once."""
        return self._stopping

    def start(self) -> FakeTelegramServer:
        """Bind and serve in a background thread."""
        if self._httpd is not None:
            return self
        self._stopping = False
        self._httpd = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake long polls, close the socket."""
        if self._httpd is None:
            return
        self._stopping = True
        self.fake.wake_waiters()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeTelegramServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def enqueue_update(self, update: JSONDict) -> None:
        """Queue an update for the next getUpdates (see `fake_telegram.updates` builders)."""
        self.fake.enqueue_update(update)

    def wait_for_call(self, method: str, timeout: float = 10.0, *, since: int = 0) -> Call | None:
        """Block until a call of `method` arrived (at or after cursor `since`); None on timeout."""
        return self.fake.wait_for_call(method, timeout, since=since)

    def calls(self, method: str | None = None, chat_id: int | str | None = None) -> list[Call]:
        """Shortcut for `server.fake.calls`."""
        return self.fake.calls(method, chat_id)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], owner: FakeTelegramServer
    ) -> None:
        self.owner = owner
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    """One request: decode, record, long-poll if getUpdates, execute, answer JSON."""

    server: _Server
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: test output stays readable."""

    def _serve(self) -> None:
        owner = self.server.owner
        fake = owner.fake
        split = urlsplit(self.path)
        segments = unquote(split.path).lstrip("/").split("/")
        if len(segments) >= 3 and segments[0] == "file" and segments[1].startswith("bot"):
            self._download(fake, "/".join(segments[2:]))
            return
        if len(segments) != 2 or not segments[0].startswith("bot") or not segments[1]:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        length = min(int(self.headers.get("Content-Length") or 0), _MAX_BODY)
        body = self.rfile.read(length) if length else b""
        try:
            params, files = parse_body(self.headers.get("Content-Type", ""), body, split.query)
        except ValueError as error:
            description = f"Bad Request: can't parse request body: {error}"
            self._reply(400, {"ok": False, "error_code": 400, "description": description})
            return
        call = fake.record(segments[1], params, files)
        if call.method == "getUpdates" and not owner.stopping:
            timeout = float(params.get("timeout") or 0)
            wait = min(timeout, owner.max_poll_wait)
            fake.wait_for_updates(params.get("offset"), wait, lambda: owner.stopping)
        outcome = fake.execute(call)
        if outcome.network is not None:
            self.close_connection = True  # no answer at all: the client sees a dropped connection
            return
        self._reply(outcome.status, outcome.body)

    def _download(self, fake: FakeTelegram, path: str) -> None:
        stored = fake.file_at(path)
        if stored is None:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        data = stored.data()
        self.send_response(200)
        self.send_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _reply(self, status: int, body: JSONDict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
