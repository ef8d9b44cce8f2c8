"""Technical specifications (.sql, .csv, .xlsx) read into tables and columns for the report."""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import UnreadableFileError
from pipeline.readers.schema import MAX_BYTES, Column, Table, read_schema

FUNCTION_SCOPED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _workbook() -> Any:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    return workbook


def _save(workbook: Any, path: Path) -> Path:
    workbook.save(path)
    return path


# --- SQL dialects ----------------------------------------------------------------------------

MYSQL_DUMP = r"""-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: simpeg
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;

--
-- Table structure for table `pegawai`
--

DROP TABLE IF EXISTS `pegawai`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `pegawai` (
  `id` int unsigned NOT NULL AUTO_INCREMENT COMMENT 'ID pegawai',
  `nip` varchar(18) COLLATE utf8mb4_unicode_ci NOT NULL COMMENT 'NIP; 18 digit',
  `nama` varchar(255) CHARACTER SET utf8mb4 DEFAULT NULL COMMENT 'Nama lengkap, dengan gelar',
  `gaji` decimal(10,2) NOT NULL DEFAULT '0.00',
  `unit_id` int unsigned DEFAULT NULL,
  `status` enum('aktif','pensiun') DEFAULT 'aktif' COMMENT 'Status \'aktif\' atau ''pensiun''',
  `dibuat` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_nip` (`nip`),
  KEY `idx_unit` (`unit_id`),
  KEY `idx_nama` (`nama`(20)),
  CONSTRAINT `fk_unit` FOREIGN KEY (`unit_id`) REFERENCES `unit_kerja` (`id`) ON DELETE SET NULL
) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='Data';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `pegawai`
--

LOCK TABLES `pegawai` WRITE;
/*!40000 ALTER TABLE `pegawai` DISABLE KEYS */;
INSERT INTO `pegawai` VALUES (1,'1980','Budi; S.Kom','CREATE TABLE palsu (x int);',0.00);
/*!40000 ALTER TABLE `pegawai` ENABLE KEYS */;
UNLOCK TABLES;

/* Tabel referensi
   CREATE TABLE dikomentari (y int); */
CREATE TABLE IF NOT EXISTS `unit_kerja` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `nama_unit` varchar(150) NOT NULL COMMENT "Nama unit kerja",
  PRIMARY KEY (`id`) USING BTREE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
"""


def test_mysql_dump(tmp_path: Path):
    tables = read_schema(_write(tmp_path / "simpeg.sql", MYSQL_DUMP))
    assert tables == (
        Table(
            "pegawai",
            (
                Column("id", "int unsigned", "ID pegawai; PK, NOT NULL"),
                Column("nip", "varchar(18)", "NIP; 18 digit; UNIQUE, NOT NULL"),
                Column("nama", "varchar(255)", "Nama lengkap, dengan gelar"),
                Column("gaji", "decimal(10,2)", "NOT NULL"),
                Column("unit_id", "int unsigned", "FK → unit_kerja.id"),
                Column("status", "enum('aktif','pensiun')", "Status 'aktif' atau 'pensiun'"),
                Column("dibuat", "timestamp", ""),
            ),
        ),
        Table(
            "unit_kerja",
            (
                Column("id", "int unsigned", "PK, NOT NULL"),
                Column("nama_unit", "varchar(150)", "Nama unit kerja; NOT NULL"),
            ),
        ),
    )


PHPMYADMIN_EXPORT = """-- phpMyAdmin SQL Dump
SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
CREATE TABLE `surat` (
  `id` int(11) NOT NULL,
  `nomor` varchar(50) NOT NULL COMMENT 'Nomor surat',
  `opd_id` int(11) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE `opd` (
  `id` int(11) NOT NULL,
  `nama` varchar(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

ALTER TABLE `surat`
  ADD PRIMARY KEY (`id`),
  ADD UNIQUE KEY `nomor` (`nomor`),
  ADD KEY `opd_id` (`opd_id`);

ALTER TABLE `opd`
  ADD PRIMARY KEY (`id`);

ALTER TABLE `surat`
  MODIFY `id` int(11) NOT NULL AUTO_INCREMENT, AUTO_INCREMENT=5;

ALTER TABLE `surat`
  ADD CONSTRAINT `surat_ibfk_1` FOREIGN KEY (`opd_id`) REFERENCES `opd` (`id`);

ALTER TABLE `surat` ADD COLUMN `perihal` text COMMENT 'Perihal surat';
COMMIT;
"""


def test_phpmyadmin_export_takes_keys_from_alter_table(tmp_path: Path):
    tables = read_schema(_write(tmp_path / "db_surat.sql", PHPMYADMIN_EXPORT))
    assert tables == (
        Table(
            "surat",
            (
                Column("id", "int(11)", "PK, NOT NULL"),
                Column("nomor", "varchar(50)", "Nomor surat; UNIQUE, NOT NULL"),
                Column("opd_id", "int(11)", "FK → opd.id"),
                Column("perihal", "text", "Perihal surat"),
            ),
        ),
        Table(
            "opd",
            (Column("id", "int(11)", "PK, NOT NULL"), Column("nama", "varchar(100)", "NOT NULL")),
        ),
    )


PG_DUMP = r"""--
-- PostgreSQL database dump
--
SET statement_timeout = 0;
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE FUNCTION public.sentuh() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
BEGIN
  EXECUTE 'CREATE TABLE palsu (x int)';
  NEW.diubah := now();
  RETURN NEW;
END;
$_$;

CREATE TABLE public.pengguna (
    id integer NOT NULL,
    nama character varying(100) NOT NULL,
    dibuat timestamp without time zone DEFAULT now(),
    saldo numeric(12,2) DEFAULT 0.00 CHECK (saldo IS NOT NULL),
    tags text[],
    status character varying(20) DEFAULT 'aktif'::character varying,
    dinas_id integer
);

ALTER TABLE public.pengguna OWNER TO postgres;

CREATE TABLE "Referensi"."Dinas Daerah" (
    "ID" serial PRIMARY KEY,
    "Nama" text UNIQUE NOT NULL
);

COMMENT ON TABLE public.pengguna IS 'Pengguna aplikasi';
COMMENT ON COLUMN public.pengguna.nama IS 'Nama pengguna, termasuk gelar';
COMMENT ON COLUMN public.pengguna.saldo IS 'Saldo di C:\data\';
COMMENT ON COLUMN "Referensi"."Dinas Daerah"."Nama" IS E'Nama \'resmi\' dinas';

COPY public.pengguna (id, nama) FROM stdin;
1	O'Brien; CREATE TABLE bohong (y int);
\.

ALTER TABLE ONLY public.pengguna
    ADD CONSTRAINT pengguna_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.pengguna
    ADD CONSTRAINT pengguna_dinas_fkey FOREIGN KEY (dinas_id)
    REFERENCES "Referensi"."Dinas Daerah"("ID");
"""


def test_postgresql_dump(tmp_path: Path):
    tables = read_schema(_write(tmp_path / "skema.sql", PG_DUMP))
    assert tables == (
        Table(
            "public.pengguna",
            (
                Column("id", "integer", "PK, NOT NULL"),
                Column("nama", "character varying(100)", "Nama pengguna, termasuk gelar; NOT NULL"),
                Column("dibuat", "timestamp without time zone", ""),
                Column("saldo", "numeric(12,2)", "Saldo di C:\\data\\"),
                Column("tags", "text[]", ""),
                Column("status", "character varying(20)", ""),
                Column("dinas_id", "integer", "FK → Referensi.Dinas Daerah.ID"),
            ),
        ),
        Table(
            "Referensi.Dinas Daerah",
            (
                Column("ID", "serial", "PK"),
                Column("Nama", "text", "Nama 'resmi' dinas; UNIQUE, NOT NULL"),
            ),
        ),
    )


SQL_SERVER_SCRIPT = """USE [SimpegDB]
GO
/****** Object:  Table [dbo].[Pegawai]    Script Date: 01/02/2026 ******/
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE TABLE [dbo].[Pegawai](
\t[Id] [int] IDENTITY(1,1) NOT NULL,
\t[Nama] [nvarchar](100) NOT NULL,
\t[Catatan] [nvarchar](max) NULL,
\t[Gaji] [decimal](18, 2) NULL,
\t[UnitId] [int] NULL,
\t[Kode]]Lama] [char](4) NULL,
 CONSTRAINT [PK_Pegawai] PRIMARY KEY CLUSTERED
(
\t[Id] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
CREATE TABLE [dbo].[Unit]([Id] [int] NOT NULL PRIMARY KEY, [Nama] [varchar](50) NULL)
GO
ALTER TABLE [dbo].[Pegawai] ADD  DEFAULT ((0)) FOR [Gaji]
GO
ALTER TABLE [dbo].[Pegawai]  WITH CHECK ADD  CONSTRAINT [FK_Pegawai_Unit] FOREIGN KEY([UnitId])
REFERENCES [dbo].[Unit] ([Id])
GO
ALTER TABLE [dbo].[Pegawai] CHECK CONSTRAINT [FK_Pegawai_Unit]
GO
EXEC sys.sp_addextendedproperty @name=N'MS_Description', @value=N'Nama sesuai SK' , \
@level0type=N'SCHEMA',@level0name=N'dbo', @level1type=N'TABLE',@level1name=N'Pegawai', \
@level2type=N'COLUMN',@level2name=N'Nama'
GO
EXEC sp_addextendedproperty N'MS_Description', N'Gaji pokok', N'SCHEMA', N'dbo', \
N'TABLE', N'Pegawai', N'COLUMN', N'Gaji'
GO
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])  # SSMS saves scripts as UTF-16
def test_sql_server_script(tmp_path: Path, encoding: str):
    text = SQL_SERVER_SCRIPT.replace("\n", "\r\n")
    tables = read_schema(_write(tmp_path / "script.sql", text, encoding))
    assert tables == (
        Table(
            "dbo.Pegawai",
            (
                Column("Id", "int", "PK, NOT NULL"),
                Column("Nama", "nvarchar(100)", "Nama sesuai SK; NOT NULL"),
                Column("Catatan", "nvarchar(max)", ""),
                Column("Gaji", "decimal(18,2)", "Gaji pokok"),
                Column("UnitId", "int", "FK → dbo.Unit.Id"),
                Column("Kode]Lama", "char(4)", ""),
            ),
        ),
        Table("dbo.Unit", (Column("Id", "int", "PK, NOT NULL"), Column("Nama", "varchar(50)", ""))),
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("varchar(255)", "varchar(255)"),
        ("DECIMAL (10, 2)", "DECIMAL(10,2)"),
        ("int unsigned zerofill", "int unsigned zerofill"),
        ("timestamp without time zone", "timestamp without time zone"),
        ("timestamp(6) with time zone", "timestamp(6) with time zone"),
        ("character varying(100)", "character varying(100)"),
        ("double precision", "double precision"),
        ("integer[3]", "integer[3]"),
        ("set('a', 'b')", "set('a','b')"),
        ("public.alamat", "public.alamat"),
        ("VARCHAR2(100 BYTE)", "VARCHAR2(100 BYTE)"),
    ],
)
def test_types_keep_their_parameters(tmp_path: Path, written: str, expected: str):
    sql = f"CREATE TABLE t (\n  kolom {written} NOT NULL DEFAULT NULL\n);"
    (table,) = read_schema(_write(tmp_path / "t.sql", sql))
    assert table.kolom == (Column("kolom", expected, "NOT NULL"),)


def test_inline_and_table_constraints(tmp_path: Path):
    sql = """
    CREATE TABLE IF NOT EXISTS detail (
        a int,
        b int,
        "key" varchar(20) NOT NULL,
        c int REFERENCES induk(id) ON DELETE CASCADE,
        d int CONSTRAINT d_fk REFERENCES induk,
        e int CHECK (e IS NOT NULL AND e > 0),
        CONSTRAINT detail_pk PRIMARY KEY (a, b),
        CONSTRAINT detail_fk FOREIGN KEY (a, b) REFERENCES kepala (x, y),
        UNIQUE (a, b),
        INDEX idx_c (c)
    );
    CREATE TABLE kunci (key text, index int);
    """
    detail, kunci = read_schema(_write(tmp_path / "t.sql", sql))
    assert detail.kolom == (
        Column("a", "int", "PK, FK → kepala.x"),
        Column("b", "int", "PK, FK → kepala.y"),
        Column("key", "varchar(20)", "NOT NULL"),
        Column("c", "int", "FK → induk.id"),
        Column("d", "int", "FK → induk"),
        Column("e", "int", ""),
    )
    assert kunci.kolom == (Column("key", "text", ""), Column("index", "int", ""))


def test_statements_that_do_not_define_tables_are_ignored(tmp_path: Path):
    sql = """
    CREATE VIEW v AS SELECT 1;
    CREATE INDEX i ON t (a);
    CREATE TABLE salinan AS SELECT * FROM t;
    CREATE TABLE tiruan LIKE t;
    INSERT INTO log VALUES ('CREATE TABLE bukan (x int)');
    UPDATE t SET a = 1 WHERE b = 'x;y';
    -- CREATE TABLE juga_bukan (x int);
    create temporary table sementara (x int);
    DROP TABLE lama;
    CREATE TABLE t (a int)
    """
    tables = read_schema(_write(tmp_path / "campur.sql", sql))
    assert [t.nama for t in tables] == ["sementara", "t"]


def test_mysql_routines_between_delimiter_lines_are_skipped(tmp_path: Path):
    sql = """
DELIMITER $$
CREATE PROCEDURE a() BEGIN SELECT 0; CREATE TEMPORARY TABLE tmp (x int); SELECT 1; END $$
CREATE PROCEDURE b() BEGIN SELECT 2; END $$
DELIMITER ;
CREATE TABLE `t` (`a` int);
DELIMITER ;;
/*!50003 CREATE*/ /*!50003 TRIGGER trg BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a = 1 */;;
DELIMITER ;
CREATE TABLE `u` (`b` int);
"""
    tables = read_schema(_write(tmp_path / "rutin.sql", sql))
    assert tables == (Table("t", (Column("a", "int", ""),)), Table("u", (Column("b", "int", ""),)))


def test_comment_on_finds_unqualified_tables(tmp_path: Path):
    sql = """
    CREATE TABLE surat (nomor text);
    COMMENT ON COLUMN public.surat.nomor IS 'Nomor agenda';
    COMMENT ON COLUMN surat.tidak_ada IS 'diabaikan';
    COMMENT ON COLUMN lain.x IS 'diabaikan';
    """
    (table,) = read_schema(_write(tmp_path / "t.sql", sql))
    assert table.kolom == (Column("nomor", "text", "Nomor agenda"),)


def test_format_comes_from_content(tmp_path: Path):
    sql = "CREATE TABLE t (a int);"
    expected = (Table("t", (Column("a", "int", ""),)),)
    assert read_schema(_write(tmp_path / "spek.txt", sql)) == expected
    assert read_schema(_write(tmp_path / "salah_nama.csv", sql)) == expected
    workbook = _workbook()
    workbook.create_sheet("t").append(["kolom", "tipe"])
    workbook["t"].append(["a", "int"])
    assert read_schema(_save(workbook, tmp_path / "lampiran.bin")) == expected


# --- CSV -------------------------------------------------------------------------------------


def test_csv_with_semicolons_and_bom(tmp_path: Path):
    text = (
        "Struktur database SIMPEG;;;\r\n"
        ";;;\r\n"
        "Nama Tabel;Nama Kolom;Tipe Data;Keterangan\r\n"
        "pegawai;id;int;ID pegawai\r\n"
        ';nama;varchar(100);"Nama; dengan gelar"\r\n'
        "unit;id;int;\r\n"
        "pegawai;unit_id;int;Unit kerja\r\n"
        ";;;\r\n"
    )
    path = tmp_path / "spek.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert read_schema(path) == (
        Table(
            "pegawai",
            (
                Column("id", "int", "ID pegawai"),
                Column("nama", "varchar(100)", "Nama; dengan gelar"),
                Column("unit_id", "int", "Unit kerja"),
            ),
        ),
        Table("unit", (Column("id", "int", ""),)),
    )


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_english_headers_any_delimiter(tmp_path: Path, delimiter: str):
    rows = [
        ["TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "COLUMN_COMMENT"],
        ["users", "email", "varchar(100)", "Surel, wajib"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    (table,) = read_schema(_write(tmp_path / "kolom.csv", buffer.getvalue()))
    assert table == Table("users", (Column("email", "varchar(100)", "Surel, wajib"),))


def test_csv_from_excel_in_windows_1252(tmp_path: Path):
    text = "tabel;kolom;tipe;keterangan\r\nsurat;tgl;date;Tanggal – sesuai agenda\r\n"
    (table,) = read_schema(_write(tmp_path / "spek.csv", text, "cp1252"))
    assert table.kolom == (Column("tgl", "date", "Tanggal – sesuai agenda"),)


def test_csv_without_table_column_is_one_table_named_after_the_file(tmp_path: Path):
    text = "Field,Type,Null,Key\nid,int(11),NO,PRI\nnama,varchar(50),YES,\n"
    (table,) = read_schema(_write(tmp_path / "pengguna.csv", text))
    assert table == Table(
        "pengguna", (Column("id", "int(11)", ""), Column("nama", "varchar(50)", ""))
    )


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_long_format(tmp_path: Path):
    workbook = _workbook()
    sheet = workbook.create_sheet("Struktur")
    sheet.append(["DAFTAR TABEL APLIKASI SIMPEG"])
    sheet.append([])
    sheet.append(["No", "Tabel", "Kolom", "Tipe", "Deskripsi"])
    sheet.append([1, "pegawai", "id", "int", "ID pegawai"])
    sheet.append([2, None, "lahir", "date", "Tanggal\nlahir"])
    sheet.append([3, "gaji", None, None, None])
    sheet.append([4, None, "jumlah", "decimal(12,2)", 12.0])
    assert read_schema(_save(workbook, tmp_path / "spek.xlsx")) == (
        Table(
            "pegawai", (Column("id", "int", "ID pegawai"), Column("lahir", "date", "Tanggal lahir"))
        ),
        Table("gaji", (Column("jumlah", "decimal(12,2)", "12"),)),
    )


def test_xlsx_one_sheet_per_table(tmp_path: Path):
    workbook = _workbook()
    workbook.create_sheet("Petunjuk").append(["Isi satu lembar untuk setiap tabel."])
    pegawai = workbook.create_sheet("pegawai")
    pegawai.append(["No", "Nama Kolom", "Tipe Data", "Keterangan"])
    pegawai.append([1, "id", "int", "Kunci utama"])
    pegawai.append([2, "nip", "varchar(18)", None])
    unit = workbook.create_sheet("unit_kerja")
    unit.append(["Field", "Type", "Description"])
    unit.append(["kode", "char(4)", "Kode unit"])
    assert read_schema(_save(workbook, tmp_path / "spek.xlsx")) == (
        Table("pegawai", (Column("id", "int", "Kunci utama"), Column("nip", "varchar(18)", ""))),
        Table("unit_kerja", (Column("kode", "char(4)", "Kode unit"),)),
    )


def test_xlsx_blocks_titled_with_the_table_name(tmp_path: Path):
    workbook = _workbook()
    sheet = workbook.create_sheet("Kamus Data")
    sheet.append(["Nama Tabel: pegawai"])
    sheet.append(["Kolom", "Tipe", "Keterangan"])
    sheet.append(["id", "int", "ID"])
    sheet.append([])
    sheet.append(["Nama Tabel", "unit"])
    sheet.append(["Kolom", "Tipe", "Keterangan"])
    sheet.append(["kode", "char(4)", "Kode"])
    assert read_schema(_save(workbook, tmp_path / "kamus.xlsx")) == (
        Table("pegawai", (Column("id", "int", "ID"),)),
        Table("unit", (Column("kode", "char(4)", "Kode"),)),
    )


# --- Refusals --------------------------------------------------------------------------------


def _random_binary() -> bytes:
    return b"\x00" + os.urandom(4000).replace(b"PK", b"pk").replace(b"%PDF-", b"xxxxx")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("kosong.sql", b"", "kosong"),
        ("spasi.csv", codecs.BOM_UTF8 + b" \r\n\r\n", "kosong"),
        ("acak.sql", _random_binary(), "bukan teks"),
        ("data.sql", b"INSERT INTO t VALUES (1, 'CREATE');", "CREATE TABLE"),
        ("catatan.csv", b"halo;dunia\n1;2\n", "baris judul"),
        ("catatan.txt", b"sekadar catatan, tanpa tabel", "baris judul"),
        ("rusak.xlsx", b"PK\x03\x04" + os.urandom(3000), "rusak"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel lama"),
        ("spek.xlsx", b"%PDF-1.7\n1 0 obj", "PDF"),
    ],
)
def test_unreadable_input_says_what_and_what_to_do(
    tmp_path: Path, name: str, content: bytes, words: str
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as raised:
        read_schema(path)
    assert words in raised.value.message
    assert raised.value.hint


def test_zip_that_is_not_a_workbook(tmp_path: Path):
    path = tmp_path / "spek.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnreadableFileError, match=r"rusak atau bukan berkas \.xlsx"):
        read_schema(path)


def test_workbook_without_header_row(tmp_path: Path):
    workbook = _workbook()
    workbook.create_sheet("Data").append(["id", "int"])
    with pytest.raises(UnreadableFileError, match="baris judul"):
        read_schema(_save(workbook, tmp_path / "spek.xlsx"))


def test_xlsx_zip_bomb_is_refused(tmp_path: Path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/media/nol.bin", bytes(120 * 1024 * 1024))
    with pytest.raises(UnreadableFileError, match="zip bomb"):
        read_schema(path)


def test_files_over_five_megabytes_are_refused(tmp_path: Path):
    path = tmp_path / "dump.sql"
    path.write_bytes(b"-- " + b"x" * MAX_BYTES)
    with pytest.raises(UnreadableFileError, match="melebihi batas 5 MB") as raised:
        read_schema(path)
    assert "--no-data" in (raised.value.hint or "")


def test_more_than_500_tables_are_refused(tmp_path: Path):
    sql = "".join(f"CREATE TABLE t{i} (a int);\n" for i in range(501))
    with pytest.raises(UnreadableFileError, match="lebih dari 500 tabel"):
        read_schema(_write(tmp_path / "besar.sql", sql))
    assert len(read_schema(_write(tmp_path / "pas.sql", sql.replace("t500", "t0")))) == 500


def test_more_than_2000_columns_are_refused(tmp_path: Path):
    rows = "".join(f"lebar;k{i};int;\n" for i in range(2001))
    with pytest.raises(UnreadableFileError, match=r"lebih dari 2\.000 kolom"):
        read_schema(_write(tmp_path / "lebar.csv", "tabel;kolom;tipe;keterangan\n" + rows))


# --- Properties ------------------------------------------------------------------------------

HEADER_WORDS = {
    "tabel",
    "table",
    "kolom",
    "column",
    "field",
    "tipe",
    "type",
    "keterangan",
    "comment",
    "description",
    "deskripsi",
}
NAMES = st.text(
    st.characters(categories=("L", "N"), include_characters='_ $-`"]'), min_size=1, max_size=16
).filter(lambda s: s.strip() == s)
COMMENTS = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85"), max_size=40
)
TYPES = st.tuples(
    st.sampled_from(["varchar", "char", "decimal", "numeric", "int", "text", "character varying"]),
    st.lists(st.integers(0, 65535), max_size=2),
    st.sampled_from(["", " unsigned", " without time zone", " with time zone"]),
)


@dataclass(frozen=True)
class GenColumn:
    name: str
    params: tuple[str, list[int], str]
    not_null: bool
    comment: str

    @property
    def ddl_type(self) -> str:
        base, numbers, suffix = self.params
        inner = f"({', '.join(map(str, numbers))})" if numbers else ""
        return f"{base}{inner}{suffix}"

    def expected(self, pk: bool) -> Column:
        flags = ", ".join(f for f, on in (("PK", pk), ("NOT NULL", self.not_null)) if on)
        notes = [" ".join(self.comment.split()), flags]
        tipe = self.ddl_type.replace(", ", ",")
        return Column(self.name, tipe, "; ".join(n for n in notes if n))


@dataclass(frozen=True)
class GenTable:
    name: str
    columns: tuple[GenColumn, ...]
    pk: bool


def _gen_tables(names: st.SearchStrategy[str]) -> st.SearchStrategy[list[GenTable]]:
    column = st.builds(GenColumn, names, TYPES, st.booleans(), COMMENTS)
    table = st.builds(
        GenTable,
        names,
        st.lists(column, min_size=1, max_size=5, unique_by=lambda c: c.name.casefold()).map(tuple),
        st.booleans(),
    )
    return st.lists(table, min_size=1, max_size=4, unique_by=lambda t: t.name.casefold())


def _mysql_ddl(tables: Sequence[GenTable]) -> str:
    def quote(name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def text(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    out = []
    for table in tables:
        lines = [
            f"  {quote(c.name)} {c.ddl_type}{' NOT NULL' * c.not_null} COMMENT {text(c.comment)}"
            for c in table.columns
        ]
        lines += [f"  PRIMARY KEY ({quote(table.columns[0].name)})"] * table.pk
        body = ",\n".join(lines)
        out.append(f"DROP TABLE IF EXISTS {quote(table.name)};\n")
        out.append(f"CREATE TABLE {quote(table.name)} (\n{body}\n) ENGINE=InnoDB;\n")
    return "".join(out)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _postgres_ddl(tables: Sequence[GenTable]) -> str:
    def quote(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    out, comments = [], []
    for table in tables:
        name = f"public.{quote(table.name)}"
        lines = [
            f"    {quote(c.name)} {c.ddl_type}{' NOT NULL' * c.not_null}" for c in table.columns
        ]
        out.append(f"CREATE TABLE {name} (\n" + ",\n".join(lines) + "\n);\n")
        if table.pk:
            key = f"PRIMARY KEY ({quote(table.columns[0].name)})"
            out.append(f"ALTER TABLE ONLY {name}\n    ADD CONSTRAINT pk {key};\n")
        comments += [
            f"COMMENT ON COLUMN {name}.{quote(c.name)} IS {_sql_text(c.comment)};\n"
            for c in table.columns
            if c.comment
        ]
    return "".join(out + comments)


def _sql_server_ddl(tables: Sequence[GenTable]) -> str:
    def quote(name: str) -> str:
        return "[" + name.replace("]", "]]") + "]"

    out = []
    for table in tables:
        lines = [
            f"\t{quote(c.name)} {c.ddl_type}{' NOT NULL' if c.not_null else ' NULL'}"
            for c in table.columns
        ]
        if table.pk:
            lines.append(f" CONSTRAINT [PK] PRIMARY KEY CLUSTERED ({quote(table.columns[0].name)})")
        out.append(f"CREATE TABLE [dbo].{quote(table.name)}(\n" + ",\n".join(lines) + "\n)\nGO\n")
        for c in table.columns:
            out.append(
                "EXEC sys.sp_addextendedproperty @name=N'MS_Description', "
                f"@value=N{_sql_text(c.comment)}, @level0type=N'SCHEMA', "
                f"@level0name=N'dbo', @level1type=N'TABLE', @level1name=N{_sql_text(table.name)}, "
                f"@level2type=N'COLUMN', @level2name=N{_sql_text(c.name)}\nGO\n"
            )
    return "".join(out)


DIALECTS = {
    "mysql": (_mysql_ddl, ""),
    "postgres": (_postgres_ddl, "public."),
    "sqlserver": (_sql_server_ddl, "dbo."),
}


@FUNCTION_SCOPED
@given(dialect=st.sampled_from(sorted(DIALECTS)), data=st.data())
def test_generated_ddl_round_trips(tmp_path: Path, dialect: str, data: st.DataObject):
    build, schema = DIALECTS[dialect]
    names = NAMES if dialect == "mysql" else NAMES.filter(lambda s: "`" not in s)
    tables = data.draw(_gen_tables(names))
    path = _write(tmp_path / "ddl.sql", build(tables))
    assert read_schema(path) == tuple(
        Table(
            schema + t.name,
            tuple(c.expected(t.pk and i == 0) for i, c in enumerate(t.columns)),
        )
        for t in tables
    )


def _plain_cell(name: str) -> bool:
    """Names a spreadsheet keeps as they are: single spaces, not a header word."""
    return " ".join(name.split()) == name and name.casefold() not in HEADER_WORDS


@FUNCTION_SCOPED
@given(
    tables=_gen_tables(NAMES.filter(_plain_cell)),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_generated_csv_round_trips(
    tmp_path: Path, tables: list[GenTable], delimiter: str, bom: bool
):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["tabel", "kolom", "tipe_data", "keterangan"])
    for table in tables:
        writer.writerows([table.name, c.name, c.ddl_type, c.comment] for c in table.columns)
    path = tmp_path / "spek.csv"
    path.write_bytes(codecs.BOM_UTF8 * bom + buffer.getvalue().encode("utf-8"))
    assert read_schema(path) == tuple(
        Table(
            t.name,
            tuple(
                Column(c.name, " ".join(c.ddl_type.split()), " ".join(c.comment.split()))
                for c in t.columns
            ),
        )
        for t in tables
    )


SQL_PIECES = [
    "CREATE TABLE",
    "CREATE TABLE IF NOT EXISTS",
    "ALTER TABLE",
    " ADD",
    " t",
    " `a`",
    " [b]",
    ' "c"',
    " (",
    ")",
    ",",
    ";",
    ".",
    "'",
    "''",
    "\\",
    "$$",
    "$x$",
    "--",
    "/*",
    "*/",
    "\nGO\n",
    " NOT NULL",
    " PRIMARY KEY",
    " KEY",
    " REFERENCES",
    " FOREIGN KEY",
    " CONSTRAINT",
    " COMMENT",
    "COMMENT ON COLUMN",
    " IS",
    "EXEC sp_addextendedproperty",
    " @name=",
    " N'MS_Description'",
    " int",
    "(10,2)",
    "[]",
    "\nCOPY t FROM stdin;\n",
    "\n\\.\n",
]


@FUNCTION_SCOPED
@given(
    pieces=st.lists(st.sampled_from(SQL_PIECES) | st.text(max_size=5), max_size=60),
    name=st.sampled_from(["spek.sql", "spek.csv", "spek.txt"]),
)
def test_any_text_gives_tables_or_a_clear_refusal(tmp_path: Path, pieces: list[str], name: str):
    path = _write(tmp_path / name, "".join(pieces), "utf-8")
    try:
        tables = read_schema(path)
    except UnreadableFileError as error:
        assert error.message and error.hint
    else:
        assert tables and all(isinstance(t, Table) for t in tables)


@FUNCTION_SCOPED
@given(
    content=st.binary(max_size=2000),
    prefix=st.sampled_from([b"", b"PK\x03\x04", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]),
)
def test_any_bytes_give_tables_or_a_clear_refusal(tmp_path: Path, content: bytes, prefix: bytes):
    path = tmp_path / "lampiran.sql"
    path.write_bytes(prefix + content)
    try:
        read_schema(path)
    except UnreadableFileError as error:
        assert error.message and error.hint
