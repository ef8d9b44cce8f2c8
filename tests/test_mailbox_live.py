"""The watched mailbox against a real IMAP server: Debian's Dovecot, started here on loopback.

Each test runs its own Dovecot (`dovecot -c CONF -F`, no systemd) with a throw-away Maildir and
a passwd-file user, delivers messages with IMAP APPEND as a mail server would, and runs the
real `pipeline watch` with `[surel]` pointed at it. The watcher is killed (SIGKILL) mid-run and
the server restarted while it polls; at the end every message is one request, moved to
Tercatat exactly once, never deleted.
"""

from __future__ import annotations

import contextlib
import grp
import hashlib
import imaplib
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import Submission, form_pdf, letter_pdf
from tests.live_drops import ERROR_NOTE
from tests.live_process import run_pipeline, start_watcher
from tests.mail_factories import eml_message

pytestmark = pytest.mark.slow

USER, PASSWORD = "sekretariat", "rahasia-uji"
DONE, FAILED = "Tercatat", "Gagal"
MESSAGES = 20
CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {run}
state_dir = {state}
log_path = {log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{mail}/%u
first_valid_uid = 1
mail_uid = {uid}
mail_gid = {gid}
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {users}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    """A real Dovecot IMAP server of this test only; stop() and start() keep its mail."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.config = root / "dovecot.conf"
        self.log = root / "dovecot.log"

    def write_config(self, binary: str) -> None:
        self.binary = binary
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # Dovecot never gives mail to uid 0: a plain system user
            user, group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
            login, internal = "dovenull", "dovecot"
            for folder in ("mail", "home"):
                shutil.chown(self.root / folder, user, group)
        else:
            user = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            login = internal = user
        users = self.root / "users"
        users.write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
        self.root.chmod(0o755)
        self.config.write_text(
            CONFIG.format(
                run=self.root / "run",
                state=self.root / "state",
                log=self.log,
                mail=self.root / "mail",
                home=self.root / "home",
                users=users,
                uid=user,
                gid=group,
                login_user=login,
                internal_user=internal,
                port=self.port,
            ),
            encoding="utf-8",
        )

    def start(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            self.process = subprocess.Popen(
                [self.binary, "-c", str(self.config), "-F"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends its children too
            )
            if self._answers(deadline):
                return
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=1)
            time.sleep(0.3)  # the previous master may still hold its pid file
        raise RuntimeError(f"Dovecot did not start:\n{self._log_tail()}")

    def _answers(self, deadline: float) -> bool:
        assert self.process is not None
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return True
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        """The whole server goes away, as when its machine restarts: the master and every
        imap process (which would otherwise keep serving open connections)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _group_alive(self.process.pid):
                time.sleep(0.1)
        self.process = None

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else "(no log)"

    @contextlib.contextmanager
    def client(self) -> Iterator[imaplib.IMAP4]:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            imap.login(USER, PASSWORD)
            yield imap
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    def deliver(self, raw: bytes) -> None:
        with self.client() as imap:
            typ, data = imap.append("INBOX", None, None, raw)
            assert typ == "OK", data

    def messages(self, folder: str) -> list[bytes]:
        with self.client() as imap:
            typ, _ = imap.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return []
            typ, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[])")
            return [bytes(item[1]) for item in data if isinstance(item, tuple)]

    def count(self, folder: str) -> int:
        with self.client() as imap:
            typ, data = imap.status(f'"{folder}"', "(MESSAGES)")
            if typ != "OK":
                return 0
            text = b" ".join(d for d in data if isinstance(d, bytes)).decode()
            return int(text.rsplit("MESSAGES", 1)[1].strip(" )"))


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("Dovecot is required in CI (scripts/setup.sh installs dovecot-imapd)")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    # Unix socket paths are limited to ~100 bytes: a short folder of its own under /tmp.
    root = Path(tempfile.mkdtemp(prefix="dv-", dir="/tmp"))
    server = Dovecot(root)
    server.write_config(binary)
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        if os.environ.get("CI"):
            pytest.fail(f"Dovecot cannot run here: {exc}")
        pytest.skip(f"Dovecot cannot run here: {exc}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- the workspace


def submission(index: int) -> Submission:
    letters = "abcdefghijklmnopqrstuvwxyz"
    tag = letters[index // 26] + letters[index % 26]
    return Submission(
        nomor=f"555/{300 + index}-Dinkes/X/2026",
        subdomain=f"layanan{tag}",
        perihal=f"Permohonan Integrasi Sistem Informasi Layanan {tag.upper()}",
    )


def message(index: int, folder: Path) -> bytes:
    s = submission(index)
    letter = letter_pdf(folder / f"surat-{index}.pdf", s).read_bytes()
    form = form_pdf(folder / f"formulir-{index}.pdf", s).read_bytes()
    return eml_message(
        "Siti Aminah <siti.dinkes@bantenprov.go.id>",
        f"Permohonan integrasi {s.subdomain}",
        f"Terlampir surat dan formulir permohonan {s.subdomain}.",
        [(f"Surat {s.subdomain}.pdf", letter), (f"Formulir {s.subdomain}.pdf", form)],
    ).as_bytes()


def settings_for(server: Dovecot, home: Path) -> dict[str, str]:
    secret = home.parent / "surel.pass"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    return {
        "PEMANTAU__STABIL_DETIK": "0.3",
        "SUREL__HOST": "127.0.0.1",
        "SUREL__PORT": str(server.port),
        "SUREL__PENGGUNA": USER,
        "SUREL__BERKAS_KATA_SANDI": str(secret),
        "SUREL__TLS": "false",
        "SUREL__JEDA_DETIK": "2",
    }


def register(home: Path, query: str) -> list[tuple[Any, ...]]:
    try:
        with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
            return list(db.execute(query))
    except sqlite3.Error:
        return []


def complete(home: Path) -> int:
    rows = register(home, "SELECT count(*) FROM requests WHERE status = 'awaiting_kadis'")
    return int(rows[0][0]) if rows else 0


def wait_until(condition: Callable[[], bool], seconds: float, log: Path, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(
        f"timed out waiting for {what}; watcher log:\n{log.read_text(errors='replace')[-4000:]}"
    )


def kill(watcher: subprocess.Popen[bytes]) -> None:
    watcher.send_signal(signal.SIGKILL)
    watcher.wait(timeout=10)


# --------------------------------------------------------------------------- the tests


def test_twenty_messages_become_twenty_requests_through_kills_and_a_server_restart(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    assert run_pipeline(home, "init", str(home)).returncode == 0
    settings = settings_for(dovecot, home)
    made = tmp_path / "pdf"
    made.mkdir()
    raws = [message(i, made) for i in range(MESSAGES)]
    for raw in raws[:10]:
        dovecot.deliver(raw)
    log = tmp_path / "watch-1.log"  # each run of the watcher writes its own log
    started = time.monotonic()
    watcher = start_watcher(home, log, settings)
    try:
        wait_until(lambda: complete(home) >= 2, 90, log, "the first requests")
        kill(watcher)  # messages fetched, saved or being read; none moved yet for some
        for raw in raws[10:15]:
            dovecot.deliver(raw)
        log = tmp_path / "watch-2.log"
        watcher = start_watcher(home, log, settings)
        wait_until(lambda: complete(home) >= 8, 90, log, "requests after the first kill")
        dovecot.stop()  # the server goes away while the watcher polls
        time.sleep(2)
        dovecot.start()
        for raw in raws[15:]:
            dovecot.deliver(raw)
        # Only 15 messages were there before the restart: a 16th request needs the poller
        # to have found the server again.
        back = "tersambung kembali"
        wait_until(
            lambda: complete(home) >= 16 and back in log.read_text(errors="replace"),
            90,
            log,
            "requests after the restart",
        )
        kill(watcher)
        log = tmp_path / "watch-3.log"
        watcher = start_watcher(home, log, settings)
        wait_until(
            lambda: complete(home) == MESSAGES and dovecot.count(DONE) == MESSAGES,
            120,
            log,
            "all twenty requests and messages in Tercatat",
        )
        elapsed = time.monotonic() - started
    finally:
        watcher.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watcher.wait(timeout=30)
    assert watcher.returncode == 0, log.read_text(errors="replace")[-3000:]
    said = (tmp_path / "watch-2.log").read_text(errors="replace")
    assert "tidak tersedia" in said and "tersambung kembali" in said, "the outage is told"

    requests = register(home, "SELECT status, missing, subdomain FROM requests")
    assert len(requests) == MESSAGES, "one request per message, none twice"
    assert all(status == "awaiting_kadis" and missing == "[]" for status, missing, _ in requests)
    emails = register(home, "SELECT sha256, original_name FROM files WHERE kind = 'surel'")
    assert len(emails) == MESSAGES and len({name for _, name in emails}) == MESSAGES
    twice = register(
        home, "SELECT note FROM events WHERE action = 'duplikat' AND note LIKE '%.eml%'"
    )
    assert not twice, f"an e-mail was saved into the inbox twice: {twice}"
    kept = dovecot.messages(DONE)
    assert len(kept) == MESSAGES and dovecot.count("INBOX") == 0, "moved, never deleted"
    assert {hashlib.sha256(raw).hexdigest() for raw in kept} == {sha for sha, _ in emails}
    on_the_wire = {hashlib.sha256(raw.replace(b"\n", b"\r\n")).hexdigest() for raw in raws}
    assert on_the_wire == {sha for sha, _ in emails}, "each delivered message, as the server has it"
    assert not [p for p in (home / "inbox").iterdir() if p.name not in ("failed", ".work")]
    print(f"\n{MESSAGES} messages, two kills and a server restart: {elapsed:.1f} s")


def test_a_message_that_cannot_be_read_goes_to_gagal_with_its_reason_and_idle_wakes_up(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    assert run_pipeline(home, "init", str(home)).returncode == 0
    settings = {**settings_for(dovecot, home), "SUREL__JEDA_DETIK": "600"}  # IDLE only
    log = tmp_path / "watch.log"
    watcher = start_watcher(home, log, settings)
    try:
        wait_until(
            lambda: "Memantau kotak surat" in log.read_text(errors="replace"), 30, log, "start"
        )
        time.sleep(1.5)  # the poller is idling now: only IDLE can wake it in time
        made = tmp_path / "pdf"
        made.mkdir()
        sent = time.monotonic()
        dovecot.deliver(message(0, made))
        dovecot.deliver(eml_message("x@y.id", "Fw:", "Terlampir.").as_bytes())
        wait_until(
            lambda: dovecot.count(DONE) == 1 and dovecot.count(FAILED) == 1, 60, log, "moves"
        )
        took = time.monotonic() - sent
    finally:
        watcher.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watcher.wait(timeout=30)
    assert took < 30, f"IDLE did not wake the poller ({took:.1f} s with a 600 s poll)"
    assert complete(home) == 1
    notes = list((home / "inbox" / "failed").glob(f"surel-*.eml{ERROR_NOTE}"))
    assert len(notes) == 1
    assert "tidak membawa lampiran surat atau formulir" in notes[0].read_text(encoding="utf-8")
    assert dovecot.count("INBOX") == 0
    print(f"\nIDLE: a new message registered and moved {took:.1f} s after delivery")
