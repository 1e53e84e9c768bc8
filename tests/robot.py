"""A stand-in for the group-chat services outside this machine (WeCom, DingTalk, Feishu): a
local HTTP server that records what it receives and answers like them, or fails on demand."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Robot:
    """Records every POST (path, JSON body); answers ``status`` with ``answer``."""

    def __init__(self):
        self.received, self.status, self.answer = [], 200, {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append((self.path, json.loads(body)))
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(robot.answer).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def wait_for(self, text: str, timeout: float = 20) -> dict:
        """The first body received whose JSON contains ``text`` (waits for it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for _path, body in list(self.received):
                if text in json.dumps(body, ensure_ascii=False):
                    return body
            time.sleep(0.2)
        raise AssertionError(f"the robot received nothing with {text!r}: {self.received}")
