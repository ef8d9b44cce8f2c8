"""The benchmark scripts time the pipeline's own steps in place; a step renamed in the package
must not leave a benchmark that fails only when someone next measures."""

from __future__ import annotations

from benchmarks.ocr import instrumented_parts


def test_every_step_the_ocr_benchmark_times_still_exists():
    for module, name, _label in instrumented_parts():
        assert callable(getattr(module, name, None)), f"{module.__name__}.{name}"
