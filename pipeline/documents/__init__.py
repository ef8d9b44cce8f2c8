"""Documents stage: render the office's Word templates and check them against their context.

Only `pipeline.errors` is imported from the rest of the project: this stage is a sibling of the
other stages and talks to them through plain mappings (the template context).
"""

from __future__ import annotations

from pipeline.documents.lint import TemplateReport, check_template, context_keys
from pipeline.documents.render import QrCode, render_docx

__all__ = ["QrCode", "TemplateReport", "check_template", "context_keys", "render_docx"]
