"""Paperwork: documents rendered from templates, their PDF copies, signatures, verification,
new versions after a correction, a request's files for download, and the template check."""
