"""Progress of long command-line work (issue 15, "long work behaves"): a bar redrawn in place
on a terminal, plain lines elsewhere (CI logs, pipes, ``call_command`` into a buffer), so a log
keeps one readable line per step and no carriage returns."""

from __future__ import annotations

import time

WIDTH = 28
REDRAW = 0.1  # seconds between two redraws of the bar


class Progress:
    """``step(note)`` after each unit of ``total``, or ``update(done, note)``; ``close()``
    at the end. ``lines`` (not on a terminal) writes a line per step, or per ``every`` steps."""

    def __init__(self, out, total: int, label: str, *, every: int = 1):
        self.out, self.total, self.label, self.every = out, max(total, 0), label, max(every, 1)
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.done, self.drawn, self.width = 0, 0.0, 0

    def step(self, note: str = "") -> None:
        self.update(self.done + 1, note)

    def update(self, done: int, note: str = "") -> None:
        previous, self.done = self.done, done
        if self.tty:
            if time.monotonic() - self.drawn >= REDRAW or done >= self.total:
                self._draw(note)
        elif done // self.every > previous // self.every or done == self.total:
            self.out.write(self._numbers() + (f" {note}" if note else ""))

    def close(self) -> None:
        if self.tty and self.width:
            self._draw("")
            self.out.write("")  # OutputWrapper ends it with the newline

    def _numbers(self) -> str:
        share = f" {100 * self.done // self.total}%" if self.total else ""
        return f"{self.label}: {self.done}/{self.total}{share}"

    def _draw(self, note: str) -> None:
        full = WIDTH * self.done // self.total if self.total else WIDTH
        line = f"{self.label} [{'█' * full}{'░' * (WIDTH - full)}] {self._numbers()[len(self.label) + 2 :]}"
        line = f"{line} {note}" if note else line
        self.out.write("\r" + line.ljust(self.width), ending="")
        self.out.flush()
        self.width, self.drawn = len(line), time.monotonic()
