"""A real Windows share: Debian's smbd on loopback (private config, port 14450) exports the
inbox; files are written through `smbclient` while `pipeline watch --polling` runs, including
a slow `put` of a large scan fed through a pipe. Every file must be taken once, complete.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.reliability.kit import (
    SCANS,
    Row,
    audit,
    db_url_of,
    make_copies,
    make_workspace,
    sha256_of,
    start_watcher,
    stop_watcher,
    wait_drained,
    watcher_env,
)
from tests.reliability.watcher import wait_ready

SMBD = Path("/usr/sbin/smbd")
SMBCLIENT = Path("/usr/bin/smbclient")
PORT = 14450
SLOW_CHUNK = 512 * 1024
SLOW_PAUSE = 0.25
PAD_CHUNK = b"paDd"  # ancillary, private, safe to copy: image readers skip it


class SambaUnavailable(RuntimeError):
    """smbd could not be started here (the reason is the message)."""


SMB_CONF = """\
[global]
  server role = standalone server
  smb ports = {port}
  interfaces = lo
  bind interfaces only = yes
  private dir = {root}/private
  lock directory = {root}/lock
  state directory = {root}/state
  cache directory = {root}/cache
  pid directory = {root}/run
  log file = {root}/smbd.log
  map to guest = Bad User
  guest account = {user}
  load printers = no
  disable spoolss = yes
  printcap name = /dev/null
  server min protocol = SMB2
[inbox]
  path = {share}
  read only = no
  guest ok = yes
  force user = {user}
"""


@contextmanager
def samba_share(root: Path, share: Path, port: int = PORT) -> Iterator[str]:
    """Run a private smbd exporting `share`; yields the UNC name `//127.0.0.1/inbox`."""
    if not SMBD.exists() or not SMBCLIENT.exists():
        raise SambaUnavailable("smbd/smbclient tidak terpasang (paket Debian samba, smbclient)")
    for sub in ("private", "lock", "state", "cache", "run"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    user = _user_name()
    conf = root / "smb.conf"
    conf.write_text(SMB_CONF.format(port=port, root=root, share=share, user=user))
    log = (root / "smbd.out").open("wb")
    process = subprocess.Popen(
        [str(SMBD), "--foreground", "--no-process-group", "-s", str(conf), "--debug-stdout"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # smbd signals its whole process group when it stops
    )
    try:
        _wait_listening(port, process, root)
        yield "//127.0.0.1/inbox"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _user_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def _wait_listening(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = (root / "smbd.out").read_text(errors="replace")[-1500:]
            raise SambaUnavailable(f"smbd berhenti saat dimulai (kode {process.returncode}): {out}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SambaUnavailable("smbd tidak mendengarkan dalam 20 detik")


def smbclient(unc: str, commands: str, port: int = PORT, timeout: float = 120) -> str:
    done = subprocess.run(
        [str(SMBCLIENT), unc, "-p", str(port), "-N", "-c", commands],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"smbclient gagal: {done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def large_scan(target: Path, megabytes: int) -> None:
    """A real scanned form (PNG) padded with a private chunk to `megabytes`."""
    import zlib

    data = (SCANS / "SC018_form_png.png").read_bytes()
    body = PAD_CHUNK + os.urandom(megabytes * 2**20)
    block = (len(body) - 4).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    end = data.rindex(b"IEND") - 4
    target.write_bytes(data[:end] + block + data[end:])


def slow_put(unc: str, source: Path, remote: str, workdir: Path) -> float:
    """`put` through a pipe fed SLOW_CHUNK every SLOW_PAUSE seconds; seconds it took."""
    fifo = workdir / "slow.fifo"
    if fifo.exists():
        fifo.unlink()
    os.mkfifo(fifo)
    started = time.monotonic()

    def feed() -> None:
        with source.open("rb") as src, fifo.open("wb") as pipe:
            while chunk := src.read(SLOW_CHUNK):
                pipe.write(chunk)
                pipe.flush()
                time.sleep(SLOW_PAUSE)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    smbclient(unc, f'put "{fifo}" "{remote}"')
    feeder.join()
    return time.monotonic() - started


def run_samba(workdir: Path, files: int = 20, scan_megabytes: int = 12) -> Row:
    started = time.monotonic()
    home = make_workspace(workdir)
    env = watcher_env(home, stabil_detik=1.0, jeda_detik=0.5)
    url = db_url_of(home, env)
    staging = workdir / "staging"
    dropped = make_copies(staging, files, docx_share=0.5, start=40)
    big = workdir / "pindaian-besar.png"
    large_scan(big, scan_megabytes)
    dropped[sha256_of(big)] = big.name
    with samba_share(workdir / "samba", home / "inbox") as unc:
        watcher = start_watcher(home, env, polling=True)
        wait_ready(watcher)
        names = sorted(os.listdir(staging))
        puts = "; ".join(f'put "{staging / name}" "{name}"' for name in names)
        writer = threading.Thread(target=smbclient, args=(unc, puts), daemon=True)
        writer.start()
        slow_seconds = slow_put(unc, big, big.name, workdir)
        writer.join()
        wait_drained(home, url, [watcher], timeout=180 + 3 * files)
        code, _ = stop_watcher(watcher)
    result = audit(home, url, dropped)
    note = f"put lambat {scan_megabytes} MB selama {slow_seconds:.0f} s; mode --polling"
    if not result.clean or code:
        note += f"; MASALAH: {result.problems()} exit={code}"
    shutil.rmtree(workdir / "samba", ignore_errors=True)
    return Row.audited(
        "share Samba (smbclient)",
        dropped,
        result,
        duplicated=result.duplicated,
        seconds=round(time.monotonic() - started, 1),
        note=note,
        facts={"exit_code": code, "slow_put_seconds": slow_seconds},
    )
