"""The watch on inbox/ is put back when the folder is deleted and made again, even when the new
folder gets the deleted one's inode number and the polling watch never noticed the gap."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from watchdog.events import FileSystemEventHandler

from pipeline.watcher.arming import InboxWatch


def test_a_folder_made_again_with_the_same_inode_is_watched_anew(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    said: list[str] = []
    noticed: list[Path] = []
    # a poll every 10 minutes: the polling watch itself never looks while the folder is gone
    watch = InboxWatch(
        inbox, FileSystemEventHandler(), noticed.append, said.append, polling=True, poll_seconds=600
    )
    watch.start()
    try:
        before = os.stat(inbox).st_ino
        shutil.rmtree(inbox)
        watch.check()
        assert len(said) == 1 and "tidak ada" in said[0]
        inbox.mkdir()
        (inbox / "surat.pdf").write_bytes(b"%PDF-1.4\n")
        same_inode = os.stat(inbox).st_ino == before
        watch.check()
        assert watch.rearmed == 1, f"not watched anew (same inode: {same_inode})"
        assert "dibuat ulang; pemantauan dipasang lagi" in said[-1]
        assert noticed == [inbox / "surat.pdf"]  # what is already there is taken at once
        watch.check()
        assert watch.rearmed == 1 and len(said) == 2  # said once, armed once
    finally:
        watch.stop()
