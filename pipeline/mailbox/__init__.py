"""The mailbox stage: an IMAP folder read and tidied with the standard library's imaplib.

It lists the messages of one folder by UID, fetches a message's bytes without marking it read
(BODY.PEEK), moves a message to another folder (MOVE where offered, else COPY, flag \\Deleted
and expunge that one message), and waits for new mail with IDLE where the server offers it.
It never deletes a message, and knows nothing of the inbox folder or the register: the service
decides what to fetch and when to move.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import select
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pipeline.errors import PipelineError

_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_FETCHED_UID = re.compile(rb"UID (\d+)")
IDLE_TAG = b"PIDLE"
IDLE_MAX = 25 * 60.0  # RFC 2177: renew IDLE before the server's 30-minute logout


class MailboxError(PipelineError):
    """The mailbox cannot be reached or refuses a command: try again later."""


@dataclass(frozen=True)
class Account:
    host: str
    port: int
    username: str
    password: str
    folder: str = "INBOX"
    tls: bool = True
    starttls: bool = False
    timeout: float = 30.0
    ca_file: Path | None = None  # certificates to trust besides the system's

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)


class Mailbox:
    """One logged-in IMAP connection with `account.folder` selected."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.imap = _connect(account)
        self.capabilities: frozenset[str] = frozenset()
        try:
            self._login()
            self._select()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _login(self) -> None:
        account = self.account
        try:
            self.imap.login(account.username, account.password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError(
                f"Masuk ke kotak surat {account.username}@{account.host} ditolak server: "
                f"{_text(exc)}.",
                hint="Periksa surel.pengguna dan surel.kata_sandi (atau "
                "surel.berkas_kata_sandi) di pipeline.toml.",
            ) from exc
        _typ, data = self.imap.capability()
        words = b" ".join(d for d in data if isinstance(d, bytes)).upper().split()
        self.capabilities = frozenset(w.decode("ascii", "replace") for w in words)

    def _select(self) -> None:
        typ, _data = self.imap.select(quoted(self.account.folder))
        if typ != "OK":
            raise MailboxError(
                f"Folder surel '{self.account.folder}' tidak ada di kotak surat "
                f"{self.account.username}@{self.account.host}.",
                hint="Periksa surel.folder di pipeline.toml (biasanya INBOX).",
            )

    # -- reading -------------------------------------------------------------------------
    def uidvalidity(self) -> int:
        typ, data = self.imap.status(quoted(self.account.folder), "(UIDVALIDITY)")
        found = _UIDVALIDITY.search(b" ".join(d for d in data if isinstance(d, bytes)))
        if typ != "OK" or found is None:
            raise MailboxError(f"Server surel tidak memberi UIDVALIDITY: {data!r}.")
        return int(found.group(1))

    def uids(self) -> list[int]:
        """The messages in the folder, oldest first (those flagged deleted left out)."""
        self.imap.noop()  # lets the server tell of new and expunged messages
        typ, data = self.imap.uid("SEARCH", "UNDELETED")
        _ok(typ, data, "SEARCH")
        return sorted(int(n) for n in b" ".join(d for d in data if d).split())

    def fetch(self, uid: int) -> bytes | None:
        """The message's bytes exactly as stored (not marked read); None once it is gone."""
        typ, data = self.imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
        _ok(typ, data, "FETCH")
        for item in data:
            if isinstance(item, tuple) and _FETCHED_UID.search(item[0]):
                return bytes(item[1])
        return None

    # -- tidying -------------------------------------------------------------------------
    def ensure_folder(self, name: str) -> None:
        typ, data = self.imap.list('""', quoted(name))
        if typ == "OK" and any(d for d in data if d):
            return
        typ, data = self.imap.create(quoted(name))
        if typ != "OK" and b"ALREADYEXISTS" not in _joined(data):
            raise MailboxError(
                f"Folder surel '{name}' tidak bisa dibuat: {data!r}.",
                hint="Buat foldernya di aplikasi surel, atau ubah surel.folder_tercatat / "
                "surel.folder_gagal di pipeline.toml.",
            )
        self.imap.subscribe(quoted(name))

    def move(self, uid: int, folder: str) -> None:
        """Move one message; with MOVE it is atomic, else COPY then expunge only that one."""
        if "MOVE" in self.capabilities:
            typ, data = self.imap.uid("MOVE", str(uid), quoted(folder))
            _ok(typ, data, "MOVE")
            return
        typ, data = self.imap.uid("COPY", str(uid), quoted(folder))
        _ok(typ, data, "COPY")
        typ, data = self.imap.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Deleted)")
        _ok(typ, data, "STORE")
        if "UIDPLUS" in self.capabilities:
            typ, data = self.imap.uid("EXPUNGE", str(uid))
            _ok(typ, data, "EXPUNGE")
        # Without UIDPLUS the copy stays flagged \\Deleted here (hidden from `uids`): a plain
        # EXPUNGE would also remove what someone else flagged.

    # -- waiting -------------------------------------------------------------------------
    @property
    def can_idle(self) -> bool:
        return "IDLE" in self.capabilities

    def idle(self, seconds: float, stop: Callable[[], bool]) -> bool:
        """Wait up to `seconds` for the server to announce a new message (RFC 2177); True if
        it did. `stop` is asked every second."""
        imap, sock = self.imap, self.imap.socket()
        imap.send(IDLE_TAG + b" IDLE\r\n")
        if not imap.readline().startswith(b"+"):
            raise MailboxError("Server surel menolak IDLE.")
        arrived = False
        deadline = time.monotonic() + min(seconds, IDLE_MAX)
        while not arrived and not stop() and time.monotonic() < deadline:
            if not _readable(sock, 1.0):
                continue
            line = imap.readline()
            if not line:
                raise imaplib.IMAP4.abort("server closed the connection during IDLE")
            arrived = line.startswith(b"*") and b"EXISTS" in line.upper()
        imap.send(b"DONE\r\n")
        while True:
            line = imap.readline()
            if not line:
                raise imaplib.IMAP4.abort("server closed the connection after IDLE")
            if line.startswith(IDLE_TAG):
                return arrived

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError, ValueError):
            self.imap.logout()


def _connect(account: Account) -> imaplib.IMAP4:
    try:
        if account.tls:
            context = account.tls_context()
            return imaplib.IMAP4_SSL(
                account.host, account.port, ssl_context=context, timeout=account.timeout
            )
        imap = imaplib.IMAP4(account.host, account.port, timeout=account.timeout)
        if account.starttls:
            imap.starttls(account.tls_context())
        return imap
    except ssl.SSLCertVerificationError as exc:
        raise MailboxError(
            f"Sertifikat server surel {account.host}:{account.port} tidak dipercaya: "
            f"{exc.verify_message}.",
            hint="Bila server kantor memakai sertifikatnya sendiri, simpan sertifikat itu (PEM) "
            "dan isi surel.berkas_ca di pipeline.toml; pemantauan kotak surat dicoba lagi "
            "otomatis.",
        ) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(
            f"Server surel {account.host}:{account.port} tidak bisa dihubungi: {_text(exc)}.",
            hint="Periksa jaringan, surel.host, surel.port dan surel.tls di pipeline.toml; "
            "pemantauan kotak surat dicoba lagi otomatis.",
        ) from exc


def _readable(sock: socket.socket, seconds: float) -> bool:
    pending = getattr(sock, "pending", None)  # TLS may hold decrypted bytes already
    if pending is not None and pending():
        return True
    ready, _, _ = select.select([sock], [], [], seconds)
    return bool(ready)


def _ok(typ: str, data: Sequence[object], command: str) -> None:
    if typ != "OK":
        raise MailboxError(f"Perintah IMAP {command} ditolak server surel: {data!r}.")


def _text(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    return text.removeprefix("b'").removesuffix("'") if text.startswith("b'") else text


def quoted(name: str) -> str:
    """A mailbox name as an IMAP quoted string (names with spaces, quotes, backslashes)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _joined(data: Sequence[object]) -> bytes:
    return b" ".join(d for d in data if isinstance(d, bytes))


__all__ = ["Account", "Mailbox", "MailboxError", "quoted"]
