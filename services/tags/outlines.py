"""Text as SVG outlines, drawn from the font shipped in services/fonts.

An SVG whose label is `<text>` needs a CJK font on the machine that shows or prints it, and many
printers' and office PCs' have none (the label then comes out as boxes). Outlined, the label is
plain paths: it looks the same everywhere. fontTools reads the glyph outlines of the shipped Noto
Sans SC subset; the font is parsed once per process (~0.3 s, lazily: only the glyphs drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

FONT = Path(__file__).resolve().parents[1] / "fonts" / "NotoSansSC-Regular.otf"


@dataclass(frozen=True)
class _Face:
    glyphs: Any
    cmap: dict[int, str]
    units_per_em: int


@cache
def _face() -> _Face:
    font = TTFont(str(FONT), lazy=True)
    return _Face(font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm)


def _glyph(char: str) -> str:
    # A character the subset lacks draws as the font's .notdef box rather than vanishing.
    return _face().cmap.get(ord(char), ".notdef")


def em_width(text: str) -> float:
    """The text's advance width in ems, exact (from the font), for fitting it to a width."""
    face = _face()
    return sum(face.glyphs[_glyph(c)].width for c in text) / face.units_per_em


def outlined_line(text: str, size: float, center_x: float, baseline_y: float) -> str:
    """One `<path>` drawing `text` at `size` (user units per em), centred on `center_x` with its
    baseline at `baseline_y`. The path's aria-label carries the words for screen readers."""
    from xml.sax.saxutils import quoteattr

    face = _face()
    pen = SVGPathPen(face.glyphs)
    advance = 0.0
    for char in text:
        name = _glyph(char)
        face.glyphs[name].draw(TransformPen(pen, (1, 0, 0, 1, advance, 0)))
        advance += face.glyphs[name].width
    scale = size / face.units_per_em
    left = center_x - advance * scale / 2
    # Font units point up; SVG's y points down: flip about the baseline.
    return (
        f'<path role="img" aria-label={quoteattr(text)} fill="#000" '
        f'transform="translate({left:.3f} {baseline_y:.3f}) scale({scale:.6f} {-scale:.6f})" '
        f'd="{pen.getCommands()}"/>'
    )
