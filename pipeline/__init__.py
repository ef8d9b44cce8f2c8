"""pipeline: letter intake, register and document generation for Diskominfo SP Banten."""

__version__ = "0.1.0"
