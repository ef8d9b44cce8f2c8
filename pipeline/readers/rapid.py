"""The one module that talks to RapidOCR's line recogniser: PP-OCRv4 as an ONNX model, shipped
inside the rapidocr-onnxruntime wheel (nothing is ever downloaded).

Tesseract misreads a letter number's handwritten or smudged digits in ways its own readers
share ('142/055' for 172/055, '005/223/2018' for 005/728/2018, all three of its readings
alike); a recogniser of other training misreads them differently, so it is one more voter on
the number (`pipeline.readers.ocr_lines.number_vote`). Only the recogniser runs: the caller
hands it one line, so neither RapidOCR's text detection nor its angle classifier is needed.
It works on one thread, as the OCR workers are one process per core. The rapidocr-onnxruntime
package is installed without its own dependencies (scripts/setup.sh): it asks for the desktop
build of OpenCV, which would replace the headless one the project uses; without the package
the number is voted on by Tesseract's readings alone.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from importlib.util import find_spec
from typing import Any

import numpy as np
from PIL import Image

PACKAGE = "rapidocr_onnxruntime"


def available() -> bool:
    """The recogniser is installed (scripts/setup.sh installs it)."""
    return find_spec(PACKAGE) is not None


def load() -> bool:
    """Load the recogniser now rather than at the first number it reads (False: missing)."""
    return _recogniser() is not None


def read_line(image: Image.Image) -> str:
    """The text of an image that holds one line, in plain characters (the model writes a
    full-width colon as Chinese text does); '' when nothing was read, when RapidOCR is missing,
    or when it fails on this image: it is one voter among four, and a page is never lost to
    it (its errors come from OpenCV, onnxruntime or its own code, with no common type)."""
    recogniser = _recogniser()
    if recogniser is None:
        return ""
    try:
        results, _seconds = recogniser(np.asarray(image.convert("RGB")))
    except Exception:  # see above: the voter abstains
        return ""
    text = str(results[0][0]) if results else ""
    return unicodedata.normalize("NFKC", text)


@cache
def _recogniser() -> Any:
    """RapidOCR's text recogniser, loaded once per process with its packaged settings."""
    if not available():
        return None
    from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer
    from rapidocr_onnxruntime.utils import read_yaml

    package = resources.files(PACKAGE)
    config = dict(read_yaml(str(package / "config.yaml"))["Rec"])
    config["model_path"] = str(package / config["model_path"])
    config["intra_op_num_threads"] = config["inter_op_num_threads"] = 1
    return TextRecognizer(config)
