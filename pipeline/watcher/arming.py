"""The file-system watch on inbox/, put back when the folder is deleted and made again.

inotify (and watchdog's polling emitter) watches one folder: when inbox/ is deleted, its watch
ends with it and a new inbox/ made in its place is not watched — files dropped there would wait
for the periodic rescan. A small thread looks at the folder every second: when the folder is
gone it says so once; when a folder is there again (after it was seen gone, or another inode)
or the watch has ended, the watch is put back and everything already in the folder is noticed at
once. A folder made again often gets the inode number of the one deleted, and watchdog's polling
emitter may not have polled while it was gone: neither tells that the folder was replaced, so
having seen it gone is what counts.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

CHECK_SECONDS = 1.0

Identity = tuple[int, int]  # st_dev, st_ino of the folder being watched


class InboxWatch:
    def __init__(
        self,
        inbox: Path,
        handler: FileSystemEventHandler,
        notice: Callable[[Path], None],
        say: Callable[[str], None],
        *,
        polling: bool,
        poll_seconds: float,
    ) -> None:
        self.inbox = inbox
        self.handler = handler
        self.notice = notice  # called for each entry found in a folder watched again
        self.say = say
        self.observer: BaseObserver = (
            PollingObserver(timeout=poll_seconds) if polling else Observer()
        )
        self.armed: Identity | None = None
        self.missing_said = False
        self.rearmed = 0  # times the watch was put back (for tests and logs)
        self._stop = threading.Event()
        self._checker = threading.Thread(target=self._check_loop, name="inbox-watch", daemon=True)

    def start(self) -> None:
        self._arm()
        self.observer.start()
        self._checker.start()

    def stop(self) -> None:
        self._stop.set()
        if self._checker.is_alive():
            self._checker.join(timeout=5)
        self.observer.stop()
        self.observer.join(timeout=5)

    def _arm(self) -> None:
        self.armed = _identity(self.inbox)
        self.observer.schedule(self.handler, str(self.inbox), recursive=True)

    def _check_loop(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            with contextlib.suppress(Exception):  # the next look tries again
                self.check()

    def check(self) -> None:
        """Put the watch back if the folder was replaced or the watch has ended."""
        identity = _identity(self.inbox)
        if identity is None:
            if not self.missing_said:
                self.say(
                    f"Folder inbox {self.inbox} tidak ada; berkas baru belum diterima sampai "
                    "folder itu dibuat lagi."
                )
                self.missing_said = True
            return
        if identity == self.armed and self._watching() and not self.missing_said:
            return  # a folder seen gone is watched anew even if its inode number came back
        self.observer.unschedule_all()
        self._arm()
        self.rearmed += 1
        self.missing_said = False
        self.say(f"Folder inbox {self.inbox} dibuat ulang; pemantauan dipasang lagi.")
        for entry in _entries(self.inbox):
            self.notice(entry)

    def _watching(self) -> bool:
        emitters = self.observer.emitters
        return bool(emitters) and all(emitter.is_alive() for emitter in emitters)


def _identity(folder: Path) -> Identity | None:
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []
