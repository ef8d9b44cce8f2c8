"""DOCX → PDF with LibreOffice headless: a warm listener for batches, a cold call otherwise."""

from pipeline.convert.office import ConversionError, convert_cold, find_soffice
from pipeline.convert.warm import PdfConverter

__all__ = ["ConversionError", "PdfConverter", "convert_cold", "find_soffice"]
