"""Image degradations that scanned and photographed letters really show.

Every function is pure apart from the `random.Random` it is handed, so a fixed seed gives the
same pixels. Only Pillow is used (no numpy): noise is drawn with `Random.randbytes` and shaped
by a lookup table, gradients come from `Image.linear_gradient` / `Image.radial_gradient`.
Grey levels: 0 is ink, 255 is paper.
"""

from __future__ import annotations

import math
import random
from statistics import NormalDist

from PIL import Image, ImageChops, ImageDraw, ImageFilter

WHITE = 255
Corners = tuple[tuple[float, float], ...]


def as_mode(mask: Image.Image, mode: str) -> Image.Image:
    """An L mask in the mode of the image it is combined with."""
    if mode == "L":
        return mask
    return Image.merge("RGB", (mask, mask, mask))


def fill_for(mode: str, grey: int = WHITE) -> int | tuple[int, int, int]:
    return grey if mode == "L" else (grey, grey, grey)


def linear_ramp(size: tuple[int, int], angle: float, low: int, high: int = WHITE) -> Image.Image:
    """An L image going from `low` to `high` across the page, rotated by `angle` degrees."""
    ramp = Image.linear_gradient("L").point(lambda v: low + (high - low) * v // 255)
    side = int(math.hypot(*size)) + 2
    big = ramp.resize((side, side), Image.Resampling.BILINEAR)
    big = big.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=high)
    left, top = (side - size[0]) // 2, (side - size[1]) // 2
    return big.crop((left, top, left + size[0], top + size[1]))


def radial_blob(
    size: tuple[int, int], center: tuple[int, int], radius: int, low: int
) -> Image.Image:
    """An L image that is `low` at `center` and rises to white at `radius`."""
    blob = Image.radial_gradient("L").point(lambda v: low + (WHITE - low) * v // 255)
    blob = blob.resize((2 * radius, 2 * radius), Image.Resampling.BILINEAR)
    canvas = Image.new("L", size, WHITE)
    canvas.paste(blob, (center[0] - radius, center[1] - radius))
    return canvas


def shade_paper(img: Image.Image, shade: Image.Image) -> Image.Image:
    """Darken paper and ink by `shade` (255 keeps a pixel, 200 darkens it to 78 %)."""
    return ImageChops.multiply(img, as_mode(shade, img.mode))


def fade_ink(img: Image.Image, strength: Image.Image) -> Image.Image:
    """Weaken the toner: ink keeps `strength`/255 of its darkness, paper stays white."""
    ink = ImageChops.invert(img)
    return ImageChops.invert(ImageChops.multiply(ink, as_mode(strength, img.mode)))


def tint(img: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    """Colour the paper (yellowish copier paper, warm room light)."""
    layer = Image.new("RGB", img.size, rgb)
    return ImageChops.multiply(img.convert("RGB"), layer)


def blur(img: Image.Image, radius: float) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius))


def rotate(img: Image.Image, angle: float, fill: int = WHITE) -> Image.Image:
    """Counter-clockwise skew by `angle` degrees; the canvas grows, the corners get `fill`."""
    if angle == 0:
        return img
    return img.rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill_for(img.mode, fill)
    )


def quarter_turn(img: Image.Image, degrees: int) -> Image.Image:
    """Counter-clockwise 90/180/270 degree turn (a page fed or photographed sideways)."""
    turns = {
        0: None,
        90: Image.Transpose.ROTATE_90,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_270,
    }
    method = turns[degrees % 360]
    return img if method is None else img.transpose(method)


def _gauss_table(sigma: float) -> list[int]:
    normal = NormalDist()
    return [
        max(0, min(255, round(128 + sigma * normal.inv_cdf((u + 0.5) / 256)))) for u in range(256)
    ]


def noise_field(size: tuple[int, int], sigma: float, grain: int, rng: random.Random) -> Image.Image:
    """Gaussian noise centred on 128; `grain` > 1 draws it coarser and scales it up (mottle)."""
    small = (max(1, size[0] // grain), max(1, size[1] // grain))
    field = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    field = field.point(_gauss_table(sigma))
    if small != size:
        field = field.resize(size, Image.Resampling.BILINEAR)
    return field


def add_noise(img: Image.Image, sigma: float, grain: int, rng: random.Random) -> Image.Image:
    """Paper grain and sensor noise."""
    field = as_mode(noise_field(img.size, sigma, grain, rng), img.mode)
    return ImageChops.add(img, field, scale=1.0, offset=-128)


def add_specks(img: Image.Image, per_megapixel: float, rng: random.Random) -> Image.Image:
    """Salt and pepper: dust and toner specks of 1-3 px, and dropped-out pixels in the ink."""
    width, height = img.size
    count = int(per_megapixel * width * height / 1e6)
    out = img.copy()
    draw = ImageDraw.Draw(out)
    for i in range(count):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.choice((0, 0, 0, 1, 1, 2))
        grey = rng.randrange(0, 90) if i % 3 else rng.randrange(235, 256)
        draw.rectangle((x, y, x + r, y + r), fill=fill_for(img.mode, grey))
    return out


def edge_shadow(img: Image.Image, side: str, width: int, grey: int) -> Image.Image:
    """The dark band an open copier lid or a book spine leaves along one edge."""
    out = img.copy()
    w, h = img.size
    boxes = {
        "left": (0, 0, width, h),
        "right": (w - width, 0, w, h),
        "top": (0, 0, w, width),
        "bottom": (0, h - width, w, h),
    }
    ImageDraw.Draw(out).rectangle(boxes[side], fill=fill_for(img.mode, grey))
    return out


def bilevel(img: Image.Image, level: int) -> Image.Image:
    """Hard threshold to mode "1", as a copier's black-and-white mode does (no dithering)."""
    return img.convert("L").point(lambda v: 255 if v > level else 0, mode="1")


def palette(img: Image.Image, colours: int) -> Image.Image:
    """A screenshot tool's indexed PNG."""
    return img.convert("L").quantize(colors=colours, dither=Image.Dither.NONE)


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8x8, for the perspective coefficients)."""
    n = len(rhs)
    rows = [[*row, value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def perspective_coeffs(dest: Corners, src: Corners) -> list[float]:
    """Coefficients for `Image.transform(PERSPECTIVE)`: output corner `dest[i]` shows `src[i]`."""
    matrix: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(dest, src, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend((u, v))
    return _solve(matrix, rhs)


def photo_corners(
    size: tuple[int, int], margin: int, angle: float, jitter: float, rng: random.Random
) -> Corners:
    """Where a hand-held phone puts the page corners: turned by `angle`, each corner off by up
    to `jitter` of the page width, inside a frame `margin` px wider than the page."""
    w, h = size
    cx, cy = w / 2 + margin, h / 2 + margin
    cos_a, sin_a = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    corners = []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        dx, dy = x - w / 2, y - h / 2
        # Pillow's y axis points down: a counter-clockwise turn on screen is this rotation.
        rx, ry = dx * cos_a + dy * sin_a, -dx * sin_a + dy * cos_a
        off = jitter * w
        corners.append((cx + rx + rng.uniform(-off, off), cy + ry + rng.uniform(-off, off)))
    return tuple(corners)


def photograph(
    img: Image.Image,
    angle: float,
    jitter: float,
    background: tuple[int, int, int],
    rng: random.Random,
) -> Image.Image:
    """The page lying on a desk, photographed slightly askew and not quite from above."""
    w, h = img.size
    margin = int(0.02 * w) + int(abs(math.sin(math.radians(angle))) * h / 2) + int(jitter * w)
    out_size = (w + 2 * margin, h + 2 * margin)
    dest = photo_corners(img.size, margin, angle, jitter, rng)
    src = ((0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h)))
    coeffs = perspective_coeffs(dest, src)
    return img.convert("RGB").transform(
        out_size,
        Image.Transform.PERSPECTIVE,
        coeffs,
        resample=Image.Resampling.BICUBIC,
        fillcolor=background,
    )
