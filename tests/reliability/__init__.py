"""Reliability drivers: real `pipeline watch` processes killed, flooded, run side by side,
fed through a Samba share and given hostile names and contents.

The `test_*.py` modules here are the tests (reduced sizes); the other modules are the drivers
they call and their tools (`watcher.py`: one running watcher, waited for through its ready
file; `kit.py`: workspaces, corpus copies, the audit). `python -m tests.reliability.report`
runs the drivers at full size and writes RELIABILITY.md.
"""
