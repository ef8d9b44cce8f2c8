"""Technical specifications ("spek teknis"): the tables and columns of an OPD's database.

An OPD describes the database of its system as SQL DDL (a mysqldump, phpMyAdmin export,
pg_dump or SQL Server script), as a CSV, or as an Excel workbook. All three are read into the
same value objects so the analysis report can tabulate them.

SQL is read with a tokenizer and a statement splitter, not a grammar: ``CREATE TABLE`` bodies
give the columns, ``ALTER TABLE ... ADD`` and ``COMMENT ON COLUMN`` (and SQL Server's
``MS_Description`` extended properties) complete them, everything else is skipped.
"""

from __future__ import annotations

from pipeline.readers.schema.model import MAX_BYTES, MAX_COLUMNS, MAX_TABLES, Column, Table
from pipeline.readers.schema.read import read_schema

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_TABLES", "Column", "Table", "read_schema"]
