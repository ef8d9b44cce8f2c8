"""Reliability drivers: real `pipeline watch` processes killed, flooded, run side by side,
fed through a Samba share and given hostile names and contents.

The `test_*.py` modules here are the tests (reduced sizes); the other modules are the drivers
they call, and `python -m tests.reliability` runs them at full size to write RELIABILITY.md.
"""
