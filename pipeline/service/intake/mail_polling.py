"""The watched mailbox: new messages are saved into the inbox as .eml, moved once registered.

Each message of `surel.folder` is written to `inbox/surel-<uidvalidity>-<uid>.eml` (through a
hidden temporary name, so the watcher only ever sees it whole) and ingested like any dropped
file. Once the register holds it (by its SHA-256, so a message registered earlier from a drop
counts too) the message is moved to `surel.folder_tercatat`; once it has been parked in
inbox/failed/, to `surel.folder_gagal`. Nothing is ever deleted.

What happens to a message is read again each round from where its file is, in the order a
file travels (inbox → a worker's claim folder → register or inbox/failed/), so no state is
kept: a watcher killed between fetch and move, or a server that goes away, finds on the next
round that the file is still on its way (wait), registered (move) or nowhere (write again:
only when it was neither written nor registered). A message is never written twice while its
file is on its way, and never registered twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from pipeline.inbox.claim import ERROR_SUFFIX
from pipeline.mailbox import Account, Mailbox, MailboxError
from pipeline.register.tables import IntakeJob, ReceivedFile
from pipeline.service.context import Services
from pipeline.settings import Surel

RETRY_FIRST, RETRY_MAX = 1.0, 60.0
PENDING_CHECK = 1.0  # seconds between looks at messages whose files are being read
PREFIX = "surel"


@dataclass(frozen=True)
class Fetched:
    uid: int
    name: str
    sha256: str
    data: bytes | None = None  # kept only until the message is saved into the inbox


def file_name(uidvalidity: int, uid: int) -> str:
    return f"{PREFIX}-{uidvalidity}-{uid}.eml"


class MailboxPoller:
    """Runs in a thread of `pipeline watch`; `stop()` ends it within about a second."""

    def __init__(self, services: Services, say: Callable[[str], None] | None = None) -> None:
        self.services = services
        self.settings = services.settings
        self.options: Surel = services.settings.surel
        self.say = say or _print
        self.stopping = threading.Event()
        self.fetched: dict[tuple[int, int], Fetched] = {}  # (uidvalidity, uid) seen this run
        self.thread = threading.Thread(target=self.run, name="surel", daemon=True)

    def start(self) -> MailboxPoller:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)

    # -- the loop ------------------------------------------------------------------------
    def run(self) -> None:
        delay, away = RETRY_FIRST, False
        while not self.stopping.is_set():
            try:
                with Mailbox(self._account()) as box:
                    if away:
                        self.say(f"Kotak surat {self.options.host} tersambung kembali.")
                    away, delay = False, RETRY_FIRST
                    self._serve(box)
            except (MailboxError, imaplib.IMAP4.error, OSError, EOFError) as exc:
                if not away:
                    self.say(_outage(self.options, exc))
                away = True
            except Exception as exc:  # the register away, a bug: keep the watcher alive
                self.say(f"Pemantauan kotak surat terhenti sebentar: {exc!r}")
                away = True
            self.stopping.wait(delay)
            delay = min(delay * 2, RETRY_MAX)

    def _serve(self, box: Mailbox) -> None:
        box.ensure_folder(self.options.folder_tercatat)
        box.ensure_folder(self.options.folder_gagal)
        while not self.stopping.is_set():
            waiting = self.round(box)
            if waiting:
                self.stopping.wait(PENDING_CHECK)
            elif box.can_idle:
                box.idle(self.options.jeda_detik, self.stopping.is_set)
            else:
                self.stopping.wait(self.options.jeda_detik)

    def round(self, box: Mailbox) -> int:
        """One look at every message; how many are still on their way through the inbox."""
        validity = box.uidvalidity()
        waiting = 0
        for uid in box.uids():
            if self.stopping.is_set():
                break
            fetched = self._fetched(box, validity, uid)
            if fetched is None:
                continue  # gone meanwhile (moved by someone)
            where = self.where(fetched)
            if where == "registered":
                box.move(uid, self.options.folder_tercatat)
                self.fetched.pop((validity, uid), None)
            elif where == "failed":
                box.move(uid, self.options.folder_gagal)
                self.fetched.pop((validity, uid), None)
            elif where == "nowhere":
                self._save(box, fetched)
                waiting += 1
            else:
                waiting += 1
        return waiting

    def _fetched(self, box: Mailbox, validity: int, uid: int) -> Fetched | None:
        known = self.fetched.get((validity, uid))
        if known is not None:
            return known
        data = box.fetch(uid)
        if data is None:
            return None
        digest = hashlib.sha256(data).hexdigest()
        found = Fetched(uid, file_name(validity, uid), digest, data)
        self.fetched[(validity, uid)] = replace(found, data=None)
        return found

    # -- where a message's file is -------------------------------------------------------
    def where(self, fetched: Fetched) -> str:
        """'inbox', 'claimed', 'registered', 'failed' or 'nowhere'. Asked in the order a file
        travels, so a file moving on while we look is always found at a later place."""
        if (self.settings.inbox / fetched.name).exists():
            return "inbox"
        if self._claimed(fetched.name):
            return "claimed"
        if self._registered(fetched.sha256):
            return "registered"
        if self._failed(fetched.name):
            return "failed"
        return "nowhere"

    def _claimed(self, name: str) -> bool:
        work = self.settings.work
        if work.is_dir() and any(work.glob(f"*/{name}")):
            return True
        with Session(self.services.engine) as session:
            query = select(IntakeJob.id).where(col(IntakeJob.original) == name)
            return session.exec(query).first() is not None

    def _registered(self, digest: str) -> bool:
        with Session(self.services.engine) as session:
            query = select(ReceivedFile.id).where(ReceivedFile.sha256 == digest)
            return session.exec(query).first() is not None

    def _failed(self, name: str) -> bool:
        """Parked as `name` or, beside an older one, as `<stem> (N).eml`, with its note."""
        failed = self.settings.failed
        stem = name.removesuffix(".eml")
        if not failed.is_dir():
            return False
        parked = re.compile(rf"{re.escape(stem)}( \(\d+\))?\.eml{re.escape(ERROR_SUFFIX)}")
        return any(parked.fullmatch(p.name) for p in failed.glob(f"{glob_escape(stem)}*"))

    def _save(self, box: Mailbox, fetched: Fetched) -> None:
        """Write the message into the inbox whole: a hidden name first, then a rename."""
        data = fetched.data if fetched.data is not None else box.fetch(fetched.uid)
        if data is None or hashlib.sha256(data).hexdigest() != fetched.sha256:
            return
        inbox = self.settings.inbox
        inbox.mkdir(parents=True, exist_ok=True)
        temporary = inbox / f".{fetched.name}.{os.getpid()}.tmp"
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, inbox / fetched.name)

    def _account(self) -> Account:
        options = self.options
        return Account(
            host=options.host,
            port=options.port,
            username=options.pengguna,
            password=options.secret(self.settings.workspace),
            folder=options.folder,
            tls=options.tls,
            starttls=options.starttls,
            timeout=options.batas_detik,
            ca_file=self.settings.workspace / options.berkas_ca if options.berkas_ca else None,
        )


def start_mailbox(services: Services, once: bool = False) -> MailboxPoller | None:
    """The poller of `[surel]` for a running `pipeline watch`; None when no mailbox is set."""
    if once or not services.settings.surel.enabled:
        return None
    options = services.settings.surel
    _print(f"Memantau kotak surat {options.pengguna}@{options.host}/{options.folder}.")
    return MailboxPoller(services).start()


def _outage(options: Surel, exc: BaseException) -> str:
    reason = exc.for_humans() if isinstance(exc, MailboxError) else f"sambungan terputus: {exc}"
    return (
        f"Kotak surat {options.host} tidak tersedia ({reason}); dicoba lagi otomatis. Surel "
        "yang sudah diambil tetap dicatat."
    )


def glob_escape(text: str) -> str:
    return re.sub(r"([*?[])", r"[\1]", text)


def _print(text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(text, flush=True)
        sys.stdout.flush()


__all__ = ["MailboxPoller", "file_name", "start_mailbox"]
