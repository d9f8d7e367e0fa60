"""What a browser test checks about the machine's browser itself: that Chinese is drawn in glyphs.

Without a CJK font (Debian's fonts-noto-cjk, which .ci/run installs beside chromium) Chromium
draws every Chinese character as the same empty box: the pages still answer, their texts still
read right through the DOM, and the screenshots silently show boxes. Asking the page's fonts
does not tell (`document.fonts.check` says true for a font that has no such glyph), so the test
draws two different characters of the element's own text in the element's own font on a canvas:
in boxes they come out pixel for pixel the same, and the same as a code point no font has.
"""

from __future__ import annotations

from typing import Any

# Draws each character alone in the element's font, 48 px on a 64-px canvas, and returns the
# pixels of each as one string, so that equal drawings compare equal.
_DRAWINGS = """([selector, characters]) => {
  const family = getComputedStyle(document.querySelector(selector)).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const pen = canvas.getContext('2d');
  return {family, drawings: characters.map(character => {
    pen.clearRect(0, 0, 64, 64);
    pen.font = `48px ${family}`;
    pen.fillText(character, 4, 52);
    return Array.from(pen.getImageData(0, 0, 64, 64).data).join();
  })};
}"""
# The last code point of plane 16 (private use): no font draws it, so it is what a box looks like.
NO_GLYPH = "\U0010fffd"


def assert_chinese_is_drawn(page: Any, selector: str) -> None:
    """The first two different Chinese characters of the element's text are drawn differently
    from each other and from a box, in the font the page gives the element; the failure names
    the font Chromium actually drew them with (DevTools' CSS.getPlatformFontsForNode)."""
    text = str(page.inner_text(selector))
    chinese = list(dict.fromkeys(c for c in text if "\u4e00" <= c <= "\u9fff"))[:2]
    assert len(chinese) == 2, f"{selector} holds no two Chinese characters to draw: {text!r}"
    found = page.evaluate(_DRAWINGS, [selector, [*chinese, NO_GLYPH]])
    first, second, box = found["drawings"]
    if first != second and first != box and second != box:
        return
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = [f["familyName"] for f in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    raise AssertionError(
        f"Chromium draws {''.join(chinese)} of {selector} ({text!r}) as boxes: the page asks for"
        f" {found['family']}, and the machine gave {fonts}. Install a CJK font (Debian: fonts-noto-cjk;"
        " .ci/run installs it beside chromium)."
    )
