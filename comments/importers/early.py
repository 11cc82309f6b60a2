"""Read a Disqus export while Django starts.

Starting Django (importing it, psycopg and this site's apps) takes a process
about a third of a second, on one core; reading a 2,000-post export and making
each post's stored text, HTML and language takes most of another tenth. The two
do not depend on each other, so `manage.py import_disqus FILE` calls `start`
before it imports Django: a child process (a fork, so nothing is imported or
started twice) reads the file on the other core and hands back what
comments.importers.disqus_file made of it. The command then `take`s it instead
of reading the file itself.

Whatever goes wrong here only means the file is read the ordinary way: no fork
on this system, another thread already running (a fork would copy it half-way),
a file that changed or cannot be read, a child that failed. The records are the
ones `disqus_file.parse` and `prepare_texts` make in the command's own process,
since the child runs the same functions on the same bytes.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from dataclasses import dataclass

from comments.importers.disqus_file import ParsedExport, parse, prepare_texts


@dataclass(frozen=True)
class _Reading:
    pid: int
    fd: int  # the pipe the child writes to
    path: str  # as `realpath` gives it
    stat: tuple[int, int, int]  # size, modification time, inode when started


_reading: _Reading | None = None


def _stat(path: str) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def start(path: str) -> None:
    """Begin reading `path` in a child process (see the module docstring)."""
    global _reading
    if _reading is not None or not hasattr(os, "fork") or threading.active_count() > 1:
        return
    try:
        stat = _stat(path)
        real = os.path.realpath(path)
        read_end, write_end = os.pipe()
    except OSError:
        return
    try:
        pid = os.fork()
    except OSError:  # no process to spare: the command reads the file itself
        os.close(read_end)
        os.close(write_end)
        return
    if pid == 0:  # the child: read, write the result down the pipe, leave
        try:
            os.close(read_end)
            gc.disable()  # short-lived, and it makes a hundred thousand objects
            parsed = parse(real)
            if not parsed.problems:
                prepare_texts(parsed.posts)
            payload = pickle.dumps((stat, parsed), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            # Nothing of the parent's (buffered output, exit handlers) may run here.
            os._exit(0)
    os.close(write_end)
    _reading = _Reading(pid=pid, fd=read_end, path=real, stat=stat)


def start_for_arguments(arguments: list[str]) -> None:
    """`start` on the command's file: of its arguments, the one file that exists
    and is not an option or an option's value (manage.py cannot parse them yet;
    `take` checks the guess)."""
    files = [a for a in arguments if not a.startswith("-") and os.path.isfile(a)]
    if len(files) == 1:
        start(files[0])


def take(path: str) -> ParsedExport | None:
    """What the child made of `path`, if it read that file as it is now; None
    (and the caller reads the file itself) otherwise."""
    global _reading
    reading, _reading = _reading, None
    if reading is None:
        return None
    try:
        with os.fdopen(reading.fd, "rb") as pipe:
            # Another file: closing the pipe ends the child (its write fails).
            payload = pipe.read() if os.path.realpath(path) == reading.path else b""
        os.waitpid(reading.pid, 0)
        if not payload:
            return None
        stat, parsed = pickle.loads(payload)  # noqa: S301 (our own child, through a pipe)
        if stat != reading.stat or _stat(path) != stat:
            return None  # the file changed while it was read
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, ChildProcessError):
        return None
    return parsed if isinstance(parsed, ParsedExport) else None
