"""Cut Noto Sans CJK SC down to the glyphs services/fonts keeps (see services/fonts/README.md).

Developer tool (fontTools is a dependency: services/font_outlines.py outlines SVG labels with it):
    python tools/subset_font.py [OUT] [TTC]
"""

from __future__ import annotations

import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

DEBIAN_TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_FACE = 2  # JP, KR, SC, TC, HK, then the Mono faces
RANGES = [
    (0x20, 0x7E),  # Basic Latin
    (0xA0, 0xFF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x218F),  # letterlike symbols, number forms
    (0x2460, 0x24FF),  # enclosed numbers
    (0x25A0, 0x25FF),  # geometric shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms
]


def main(out: str = "services/fonts/NotoSansSC-Regular.otf", ttc: str = DEBIAN_TTC) -> None:
    font = TTCollection(ttc).fonts[SC_FACE]
    options = subset.Options()
    options.layout_features = ["kern", "palt", "halt"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for low, high in RANGES for u in range(low, high + 1)])
    subsetter.subset(font)
    font.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
