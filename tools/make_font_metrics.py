"""Regenerate src/alur/render/font_metrics.json from the DejaVu Sans font files.

Layout measures text with these advance widths instead of opening a font at run time, so line
breaks are the same on every machine. Run by hand when the font or the character set changes:
    .venv/bin/python tools/make_font_metrics.py /usr/share/fonts/truetype/dejavu
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

RANGES = [(0x20, 0x250), (0x2000, 0x2070), (0x2190, 0x21FF), (0x25A0, 0x25FF), (0x2B00, 0x2B2F),
          (0x400, 0x500)]


def widths(path: Path) -> dict[str, float]:
    font = TTFont(path)
    units = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    table = {}
    for start, end in RANGES:
        for code in range(start, end):
            glyph = cmap.get(code)
            if glyph:
                table[chr(code)] = round(metrics[glyph][0] / units, 4)
    return table


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
    data = {"family": "DejaVu Sans",
            "regular": widths(folder / "DejaVuSans.ttf"),
            "bold": widths(folder / "DejaVuSans-Bold.ttf")}
    target = Path(__file__).parents[1] / "src" / "alur" / "render" / "font_metrics.json"
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                      encoding="utf-8")
    print(f"{target}: {len(data['regular'])} regular, {len(data['bold'])} bold widths")
