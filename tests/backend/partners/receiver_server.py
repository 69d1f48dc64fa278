"""A real HTTP server on 127.0.0.1 (a thread of its own) playing the partners' servers. What it
does depends on the receiver name in the path `/api/demo/webhook-receiver/<name>`:
`ok` answers 200, `fail` 500, `slow` waits `slow_s` before answering, `redirect` answers 302 to
`ok` on 127.0.0.1, `big` answers 200 with a body of several megabytes. Every request is kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/api/demo/webhook-receiver/"


@dataclass
class Received:
    name: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ReceiverServer:
    httpd: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    slow_s: float = 3.0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.origin}{PATH}{name}"

    def reset(self) -> None:
        with self.lock:
            self.received.clear()

    def of(self, name: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.name == name]

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[ReceiverServer]:
        holder: dict[str, ReceiverServer] = {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                s = holder["server"]
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                name = self.path.removeprefix(PATH)
                with s.lock:
                    s.received.append(Received(name, dict(self.headers.items()), body))
                if name == "slow":
                    time.sleep(s.slow_s)
                if name == "redirect":
                    self.send_response(302)
                    self.send_header("Location", s.url("ok"))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 500 if name == "fail" else 200
                payload = b"x" * (4 * 1024 * 1024) if name == "big" else b'{"ok":true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)  # the sender may stop reading, as it should

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # the workers connect many at once

        httpd = Server(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        server = holder["server"] = cls(httpd)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            httpd.shutdown()
            httpd.server_close()
