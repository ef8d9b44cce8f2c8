"""Intake: a claimed file or e-mail is read, extracted, archived and joined to its request."""
