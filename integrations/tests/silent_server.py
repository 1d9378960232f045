"""Provider stand-ins that misbehave: a server that accepts connections and never answers, or trickles its answer."""

from __future__ import annotations

import socket
import threading
import time

DEADLINE = 1.0
BOUND = DEADLINE * 5  # generous: the old client waited 10 s per attempt, four attempts


class SilentServer:
    """Accepts connections and never answers (`trickle`: sends a status line, then a byte every 0.2 s, forever)."""

    def __init__(self, *, trickle: bool = False):
        self.trickle = trickle
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(conn)
            if self.trickle:
                threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn):
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            while not self.stop.is_set():
                conn.sendall(b" ")
                time.sleep(0.2)
        except OSError:
            pass

    def close(self):
        self.stop.set()
        for conn in self.held:
            conn.close()
        self.sock.close()


def within_bound(call):
    """Run `call` in a thread; fail if it is still running after BOUND seconds. Returns what it returned/raised."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive(), f"still waiting after {BOUND} s"
    return outcome
