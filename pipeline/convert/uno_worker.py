"""Runs under the Python that has LibreOffice's `uno` module (Debian: python3-uno, system python).

Usage: uno_worker.py PIPE_NAME OFFICE_PID PIPELINE_PID. Connects to the
`soffice --accept=pipe,name=NAME;urp;` listener that the pipeline (its parent, PIPELINE_PID)
started in its own process group OFFICE_PID, then reads one JSON job per line on stdin
({"src", "dst", "filter", "keywords"}) and answers one JSON line on stdout
({"ok": true} or {"ok": false, "error": "..."}). It imports nothing from `pipeline`, so it runs
under any interpreter that has `uno`. However it ends (input closed, parent killed, even in
the middle of a conversion, a stop request, a broken pipe), it takes the listener down with
it, so no LibreOffice outlives the pipeline.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60.0
PARENT_CHECK_SECONDS = 0.5  # how often the worker looks whether the pipeline is still there
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode: a document's macros never run
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode: linked content is never fetched


def _prop(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def connect(pipe_name: str, parent: int) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(url)
            break
        except Exception:
            if time.monotonic() > deadline or os.getppid() != parent:
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def convert(desktop: Any, job: dict[str, Any]) -> None:
    load = (
        _prop("Hidden", True),
        _prop("ReadOnly", True),
        _prop("MacroExecutionMode", NEVER_EXECUTE),
        _prop("UpdateDocMode", NO_UPDATE),
    )
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice tidak dapat membuka berkas")
    try:
        keywords = job.get("keywords") or []
        if keywords:
            document.DocumentProperties.Keywords = tuple(keywords)
        store = (_prop("FilterName", job.get("filter") or "writer_pdf_Export"),)
        document.storeToURL(uno.systemPathToFileUrl(job["dst"]), store)
    finally:
        document.close(True)


def serve(desktop: Any) -> None:
    print(json.dumps({"ok": True, "ready": True}), flush=True)
    for line in sys.stdin:
        try:
            convert(desktop, json.loads(line))
            answer: dict[str, Any] = {"ok": True}
        except Exception as exc:
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)


def end_office(office: int) -> None:
    with contextlib.suppress(OSError):  # already gone
        os.killpg(office, signal.SIGTERM)


def watch_parent(parent: int, office: int) -> None:
    """End the office and this worker once the pipeline that started them is gone (killed,
    say), even while a conversion keeps the worker from seeing its input close. The pipeline's
    pid comes from the pipeline itself, not from this worker's own parent when it starts: a
    pipeline killed while this worker was still loading (`uno` takes a while) has already
    handed it to another parent, which must not be taken for the pipeline."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    end_office(office)
    os._exit(1)


def main() -> None:
    pipe_name, office, parent = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    threading.Thread(target=watch_parent, args=(parent, office), daemon=True).start()
    # A stop request (SIGTERM) unwinds through the `finally` below, as the input's end does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    desktop = None
    try:
        desktop = connect(pipe_name, parent)
        serve(desktop)
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops as the office goes down
                desktop.terminate()
        end_office(office)  # not connected, or it did not stop: end it


if __name__ == "__main__":
    main()
