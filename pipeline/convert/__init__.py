"""LibreOffice headless: DOCX → PDF copies, and legacy word files (.doc, .rtf, .odt, .docm) →
DOCX for the reader. A warm listener for batches, a cold call otherwise."""

from pipeline.convert.office import (
    ConversionError,
    ConversionTimeout,
    convert_cold,
    find_soffice,
)
from pipeline.convert.warm import OfficeConverter, PdfConverter

__all__ = [
    "ConversionError",
    "ConversionTimeout",
    "OfficeConverter",
    "PdfConverter",
    "convert_cold",
    "find_soffice",
]
