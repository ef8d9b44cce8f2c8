"""Benchmark document generation: the pipeline's DOCX rendering against bare docxtpl.

(a) documents per second of `pipeline.documents.render_docx` (strict undefined, autoescape,
    missing-variable pre-flight, QR code image, atomic write with fsync) for each template in
    templates/ with its sample context from `pipeline.documents.samples.SAMPLE_CONTEXTS`;
(b) documents per second of bare docxtpl on the same template and context:
    `DocxTemplate(path)`, `render(context, autoescape=True)`, `save(out)`, the QR code turned
    into an `InlineImage` of the same PNG (`QrCode.png()`, width `Mm(QrCode.width_mm)`) built
    per render, as the pipeline does;
(c) the ratio pipeline / bare;
(d) median milliseconds per `pipeline.service.steps.advance.advance(..., "accept")`, which renders
    the Kabid disposition sheet inside the register transaction, on a fresh SQLite workspace
    holding one complete request (letter + form PDF from tests/factories.py) per call.

Each measurement is warmed up once first. In (a) and (b) the two paths take turns document by
document, and every timed call starts after a full garbage collection (not timed): otherwise a
collection of the other path's garbage lands on whichever call happens to trigger it, which
skewed the ratio by about 10% depending on the order. Documents go to a temporary folder.

Usage: python -m benchmarks.generate [--docs 30] [--requests 30] [--skip-render] [--skip-advance]
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from pipeline.documents import QrCode, render_docx
from pipeline.documents.samples import SAMPLE_CONTEXTS
from pipeline.inbox import claim_copy
from pipeline.service.context import Services, open_services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.steps.advance import advance
from pipeline.settings import load_settings
from tests.factories import Submission, letter_pdf

ROOT = Path(__file__).resolve().parents[1]

TEMPLATES = ROOT / "templates"
ACCEPT = "accept"
ACCEPT_NOTE = "Segera tindak lanjuti"

Render = Callable[[Path, Mapping[str, Any], Path], None]


# --------------------------------------------------------------------------- rendering


def pipeline_render(template: Path, context: Mapping[str, Any], out: Path) -> None:
    render_docx(template, context, out)


def bare_render(template: Path, context: Mapping[str, Any], out: Path) -> None:
    doc = DocxTemplate(template)
    doc.render(with_inline_images(doc, context), autoescape=True)
    doc.save(out)


def with_inline_images(doc: DocxTemplate, value: Any) -> Any:
    """The context with every `QrCode` replaced by a docxtpl image of its PNG, bound to `doc`."""
    if isinstance(value, QrCode):
        return InlineImage(doc, io.BytesIO(value.png()), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {key: with_inline_images(doc, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [with_inline_images(doc, item) for item in value]
    return value


@dataclass(frozen=True)
class Timing:
    docs: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / self.docs if self.docs else 0.0


@dataclass(frozen=True)
class TemplateTiming:
    name: str
    pipeline: Timing
    bare: Timing

    @property
    def ratio(self) -> float:
        return self.pipeline.rate / self.bare.rate if self.bare.rate else 0.0


def time_one(render: Render, template: Path, out: Path) -> float:
    gc.collect()
    started = time.perf_counter()
    render(template, SAMPLE_CONTEXTS[template.name], out)
    return time.perf_counter() - started


def time_template(template: Path, count: int, folder: Path) -> TemplateTiming:
    """`count` documents of `template` per path, each to its own file, after one warm-up each.

    The two paths take turns document by document, so that load from elsewhere on the machine
    falls on both alike.
    """
    renders = {"pipeline": pipeline_render, "bare": bare_render}
    spent = dict.fromkeys(renders, 0.0)
    for label, render in renders.items():
        (folder / label).mkdir(parents=True)
        time_one(render, template, folder / label / "warmup.docx")
    for number in range(count):
        for label, render in renders.items():
            spent[label] += time_one(render, template, folder / label / f"{number:04d}.docx")
    return TemplateTiming(
        template.name, Timing(count, spent["pipeline"]), Timing(count, spent["bare"])
    )


def templates() -> list[Path]:
    found = sorted(TEMPLATES.glob("*.docx"))
    missing = [p.name for p in found if p.name not in SAMPLE_CONTEXTS]
    if not found or missing:
        raise SystemExit(f"templates without a sample context in {TEMPLATES}: {missing}")
    return found


def measure_templates(count: int) -> list[TemplateTiming]:
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-generate-") as scratch:
        folder = Path(scratch)
        return [time_template(t, count, folder / t.stem) for t in templates()]


def total(timings: Sequence[Timing]) -> Timing:
    return Timing(sum(t.docs for t in timings), sum(t.seconds for t in timings))


def print_templates(results: Sequence[TemplateTiming]) -> None:
    width = max(len(r.name) for r in results)
    print(
        f"{'template':{width}} {'docs':>4} {'pipeline ms/doc':>15} {'bare ms/doc':>11} {'ratio':>6}"
    )
    for r in results:
        print(
            f"{r.name:{width}} {r.pipeline.docs:4d} {r.pipeline.ms_per_doc:15.1f} "
            f"{r.bare.ms_per_doc:11.1f} {r.ratio:6.2f}"
        )


def run_render(count: int) -> None:
    results = measure_templates(count)
    print_templates(results)
    pipeline = total([r.pipeline for r in results])
    bare = total([r.bare for r in results])
    ratio = pipeline.rate / bare.rate if bare.rate else 0.0
    print(
        f"generate: pipeline {pipeline.rate:.1f} docs/s, bare docxtpl {bare.rate:.1f} docs/s, "
        f"ratio {ratio:.2f} (n={pipeline.docs})"
    )


# --------------------------------------------------------------------------- advance


@contextmanager
def fresh_services() -> Iterator[tuple[Services, Path]]:
    """Services on a new SQLite workspace, and a scratch folder for the submitted PDFs."""
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as scratch:
        home = Path(scratch) / "ws"
        init_workspace(home)
        services = open_services(load_settings(home))
        try:
            if not services.settings.database_url.startswith("sqlite"):
                raise SystemExit("the advance benchmark wants SQLite: unset PIPELINE_DB_URL")
            drops = Path(scratch) / "drops"
            drops.mkdir()
            yield services, drops
        finally:
            services.close()


def submission(number: int) -> Submission:
    """A request of its own: subdomain and letter number differ, so nothing pairs."""
    return Submission(subdomain=f"sibench{number:03d}", nomor=f"555/{number:03d}-Bench/X/2026")


def complete_request(services: Services, drops: Path, number: int) -> int:
    """Ingest a letter with its form (one PDF); the id of the request awaiting the Kadis."""
    path = letter_pdf(drops / f"surat-{number:03d}.pdf", submission(number), with_form=True)
    outcome = ingest_claim(services, claim_copy(path, services.settings.work))
    if outcome.status != "registered" or outcome.request_id is None:
        raise SystemExit(f"request {number} not registered: {outcome.status} {outcome.message}")
    return outcome.request_id


def time_accept(services: Services, request_id: int) -> float:
    gc.collect()
    started = time.perf_counter()
    result = advance(services, request_id, ACCEPT, note=ACCEPT_NOTE, by="bench")
    elapsed = time.perf_counter() - started
    if result.document is None:
        raise SystemExit(f"accept on request {request_id} made no document")
    return elapsed


def measure_advance(count: int) -> list[float]:
    """Seconds per accept over `count` requests, after one warm-up accept."""
    with fresh_services() as (services, drops):
        ids = [complete_request(services, drops, n) for n in range(count + 1)]
        if len(set(ids)) != len(ids):
            raise SystemExit("submissions paired into the same request")
        time_accept(services, ids[0])
        return [time_accept(services, request_id) for request_id in ids[1:]]


def run_advance(count: int) -> None:
    seconds = measure_advance(count)
    ms = [1000 * s for s in seconds]
    print(f"advance accept: min {min(ms):.0f} ms, max {max(ms):.0f} ms")
    print(
        f"advance accept (renders kabid sheet): median {statistics.median(ms):.0f} ms (n={len(ms)})"
    )


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=30, help="documents per template and path")
    parser.add_argument("--requests", type=int, default=30, help="accept calls to time")
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument("--skip-advance", action="store_true")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.requests < 1:
        parser.error("--docs and --requests must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.skip_render:
        run_render(args.docs)
    if not args.skip_advance:
        run_advance(args.requests)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
