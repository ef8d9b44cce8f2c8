"""The web page for clerks and officials: a shell beside the command line (FastAPI, Jinja2)."""

from __future__ import annotations

from pipeline.web.app import create_app

__all__ = ["create_app"]
