"""The one exception root of the project, with the exit codes the shells translate to.

Every message is written for the person who reads it: a clerk at the secretariat, in Bahasa
Indonesia, saying what went wrong and what to do next.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_FILES_FAILED = 1
    USAGE = 2
    INPUT_UNREADABLE = 3
    NOT_FOUND = 4
    CONFLICT = 5
    MISSING_DEPENDENCY = 6
    CONFIGURATION = 7
    TEMPLATE = 8
    INTERNAL = 15


class PipelineError(Exception):
    """Root of every error the pipeline raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def for_humans(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UnreadableFileError(PipelineError):
    """A file that cannot be read: empty, truncated, encrypted, not what its name says."""

    exit_code = ExitCode.INPUT_UNREADABLE


class IgnoredFileError(PipelineError):
    """A file on the ignore list (lock files, Thumbs.db, temporary files)."""

    exit_code = ExitCode.INPUT_UNREADABLE


class NotFoundError(PipelineError):
    exit_code = ExitCode.NOT_FOUND


class ConflictError(PipelineError):
    exit_code = ExitCode.CONFLICT


class MissingDependencyError(PipelineError):
    exit_code = ExitCode.MISSING_DEPENDENCY


class ConfigurationError(PipelineError):
    exit_code = ExitCode.CONFIGURATION


class TemplateError(PipelineError):
    exit_code = ExitCode.TEMPLATE
