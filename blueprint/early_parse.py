"""Parsing a large blueprint on a second thread while the command imports the model and rules.

yaml-rs releases the GIL while it scans, and a command spends its first 0.2 s importing
pydantic, the model and the rules before the loader asks for the data: at 5,000 services the
parse (0.15 s) runs alongside those imports instead of after them.

Nothing depends on it: the loader asks `parsed(text)` for the data of the text it has read
itself, and gets the early result only when the early thread read that very text (same
characters); otherwise, or when the early thread could not read the file, it parses now. The
early thread raises nothing: what the parse raised is raised again in the loader, where it
becomes the same message as without it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from blueprint.yaml_parse import MAX_BYTES, parse_yaml

# Below this, the parse costs less than a millisecond or two: not worth a thread.
EARLY_BYTES = 64 * 1024


@dataclass
class _Early:
    thread: threading.Thread | None = None
    text: str | None = None
    data: object = None
    error: Exception | None = None


# Touched only by the command's own thread: the early threads write to their `_Early` alone.
_started: dict[Path, _Early] = {}


def start(path: Path) -> None:
    """Begin parsing `path` on a daemon thread, when it is large enough to gain from it."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the loader reports it
    if not EARLY_BYTES <= size <= MAX_BYTES or path in _started:
        return
    early = _started[path] = _Early()
    early.thread = threading.Thread(
        target=_parse, args=(path, early), name="early-parse", daemon=True
    )
    early.thread.start()


def _parse(path: Path, early: _Early) -> None:
    try:
        # Decoded as the loader decodes; any difference only means the loader parses again.
        early.text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        early.data = parse_yaml(early.text)
    except Exception as exc:  # raised again by `parsed`, for the loader's own messages
        early.error = exc


def parsed(text: str) -> object:
    """The data of `text`: the early thread's when it parsed this very text, else parsed now.
    Raises what the parse raised."""
    early = _take(text)
    if early is None:
        return parse_yaml(text)
    if early.error is not None:
        raise early.error
    return early.data


def _take(text: str) -> _Early | None:
    # Every early parse is handed over once: what does not match is dropped with its data.
    candidates = list(_started.values())
    _started.clear()
    match = None
    for early in candidates:
        # Joined, not only waited for: no thread is left running when `blueprint check` forks.
        if early.thread is not None:
            early.thread.join()
        # `text` is set only once the file was read and decoded: any error is the parse's.
        if match is None and early.text == text:
            match = early
    return match
