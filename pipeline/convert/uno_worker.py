"""Runs under the Python that has LibreOffice's `uno` module (Debian: python3-uno, system python).

Connects to a running `soffice --accept=pipe,name=NAME;urp;` listener, then reads one JSON job
per line on stdin ({"src", "dst", "keywords"}) and answers one JSON line on stdout
({"ok": true} or {"ok": false, "error": "..."}). It imports nothing from `pipeline`, so it runs
under any interpreter that has `uno`.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60.0


def _prop(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def connect(pipe_name: str) -> Any:
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
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def convert(desktop: Any, job: dict[str, Any]) -> None:
    load = (_prop("Hidden", True), _prop("ReadOnly", True))
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice tidak dapat membuka berkas")
    try:
        keywords = job.get("keywords") or []
        if keywords:
            document.DocumentProperties.Keywords = tuple(keywords)
        store = (_prop("FilterName", "writer_pdf_Export"),)
        document.storeToURL(uno.systemPathToFileUrl(job["dst"]), store)
    finally:
        document.close(True)


def main() -> None:
    desktop = connect(sys.argv[1])
    print(json.dumps({"ok": True, "ready": True}), flush=True)
    for line in sys.stdin:
        try:
            convert(desktop, json.loads(line))
            answer: dict[str, Any] = {"ok": True}
        except Exception as exc:
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)
    with contextlib.suppress(Exception):  # the bridge drops as the office goes down
        desktop.terminate()  # our own listener: stop it with us


if __name__ == "__main__":
    main()
