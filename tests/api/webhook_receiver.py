"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it records what it is sent and
answers with the status codes it is told to (200 once they run out), or is closed."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def valid_signature(secret: str, header: str, body: bytes) -> bool:
    """Check `t=<unix>,v1=<hex>` as a receiver would, with nothing of the project's code."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    signed = parts["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    def __init__(self) -> None:
        self.received: list[dict] = []  # every request, also those answered with an error
        self.answers: list[int] = []  # the next answers' status codes, then 200
        self.port = 0
        self.server = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def accepted(self) -> list[dict]:
        return [r for r in self.received if r["answer"] == 200]

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = receiver.answers.pop(0) if receiver.answers else 200
                receiver.received.append(
                    {
                        "headers": dict(self.headers),
                        "raw": body,
                        "event": json.loads(body),
                        "answer": answer,
                    }
                )
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
