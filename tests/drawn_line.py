"""One line of words drawn on a grey page, with the box of each word: the page the OCR line
passes (second look, number vote, date check) read again, in their tests."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
Box = tuple[int, int, int, int]


def drawn_line(texts: tuple[str, ...]) -> tuple[Image.Image, list[Box]]:
    """A grey page holding one line of `texts`, and the box (left, top, right, bottom) of each."""
    image = Image.new("L", (1400, 400), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 36)
    x, boxes = 120, []
    for text in texts:
        left, top, right, bottom = draw.textbbox((x, 150), text, font=font)
        draw.text((x, 150), text, fill=40, font=font)
        boxes.append((int(left), int(top), int(right), int(bottom)))
        x = int(right) + 14
    return image, boxes
