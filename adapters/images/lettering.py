"""Text drawn in DejaVu Sans, and in Droid Sans Fallback for the characters DejaVu lacks
(Chinese, Japanese and Korean among them), one run of characters per font."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import groupby

from fontTools.ttLib import TTFont
from PIL import ImageDraw, ImageFont

Colour = tuple[int, ...]
REGULAR, BOLD, FALLBACK = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallback.ttf"


@dataclass(frozen=True)
class Lettering:
    """A size and weight of DejaVu Sans, falling back per character."""

    main: ImageFont.FreeTypeFont
    fallback: ImageFont.FreeTypeFont
    covered: frozenset[int]

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        """The text cut where the font drawing it changes."""
        # A character neither font has stays with the main one, which draws its empty box.
        uses_main = (ord(c) in self.covered or ord(c) not in _codepoints(FALLBACK) for c in text)
        pieces = groupby(zip(text, uses_main, strict=True), key=lambda pair: pair[1])
        return [
            ("".join(c for c, _ in run), self.main if main else self.fallback)
            for main, run in pieces
        ]

    def length(self, draw: ImageDraw.ImageDraw, text: str) -> float:
        """How wide the text is drawn."""
        return sum(draw.textlength(run, font=font) for run, font in self.runs(text))

    def write(
        self,
        draw: ImageDraw.ImageDraw,
        at: tuple[float, float],
        text: str,
        fill: Colour,
        anchor: str = "la",
    ) -> None:
        """Draw the text from `at`, anchored as Pillow anchors text (left-aligned only)."""
        x, y = at
        for run, font in self.runs(text):
            draw.text((x, y), run, font=font, fill=fill, anchor=anchor)
            x += draw.textlength(run, font=font)


@cache
def lettering(*, bold: bool, size: int) -> Lettering:
    """DejaVu Sans (bold or regular) at `size`, with its fallback at the same size."""
    name = BOLD if bold else REGULAR
    return Lettering(_font(name, size), _font(FALLBACK, size), _codepoints(name))


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(_data(name)), size)


@cache
def _codepoints(name: str) -> frozenset[int]:
    """The characters a shipped font has a glyph for."""
    with TTFont(io.BytesIO(_data(name)), lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _data(name: str) -> bytes:
    return files("adapters.images").joinpath("fonts", name).read_bytes()
