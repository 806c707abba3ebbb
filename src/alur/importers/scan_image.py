"""Scanned page images made ready for measuring: grey at a known resolution, straightened,
and in black and white without dust for OCR.

Part of the scan reader (`alur.importers.scan`); this module changes only when the way a page
image is cleaned up changes. A sheet is rarely fed straight: the angle of the long ruled lines
is estimated (median of their Hough angles) and the page rotated back before anything is
measured. Writing that runs up the page is told apart from upright writing by how letters
smeared along or across a line join up.
"""

from __future__ import annotations

import math
from statistics import median
from typing import Any

DPI = 300                 # rendering resolution of scanned PDF pages
MIN_DPI = 250             # images scanned coarser than this are enlarged to DPI
MAX_SKEW = 5.0            # degrees: larger angles are not scan skew but a rotated drawing
MAX_PIXELS = 40_000_000   # an image larger than this is scaled down before measuring


def grey(image: Any) -> tuple[Any, float]:
    """A uint8 grey array and the image's resolution (dpi; `DPI` when it does not say)."""
    import numpy as np
    from PIL import Image

    dpi = float(DPI)
    if isinstance(image, Image.Image):
        info = image.info.get("dpi")
        if info and info[0] and float(info[0]) > 50:
            dpi = float(info[0])
        array = np.asarray(image.convert("L"))
    else:
        array = np.asarray(image)
        if array.ndim == 3:
            import cv2

            array = cv2.cvtColor(array[..., :3].astype(np.uint8), cv2.COLOR_RGB2GRAY)
        array = array.astype(np.uint8)
    if dpi < MIN_DPI and array.size * (DPI / dpi) ** 2 <= MAX_PIXELS:
        # Tesseract misses small bold writing (table headers) below ~300 dpi: enlarge.
        import cv2

        factor = DPI / dpi
        array = cv2.resize(array, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        dpi = float(DPI)
    if array.size > MAX_PIXELS:
        import cv2

        factor = math.sqrt(MAX_PIXELS / array.size)
        array = cv2.resize(array, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        dpi *= factor
    return array, dpi


def despeckled(black_on_white: Any, dpi: float) -> Any:
    """Black and white for OCR (Tesseract reads the scan's grey noise as letters and stray
    periods), without dust: blobs smaller than half a point square, far below a full stop."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(255 - black_on_white,
                                                               connectivity=8)
    smallest = (dpi / 72) ** 2 * 0.5
    specks = [label for label in range(1, count) if stats[label][4] < smallest]
    if specks:
        import numpy as np

        black_on_white = black_on_white.copy()
        black_on_white[np.isin(labels, specks)] = 255
    return black_on_white


def binary(grey: Any) -> Any:
    """Ink as 255 on 0, by Otsu's threshold after a light blur (scanner noise)."""
    import cv2

    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def skew(ink: Any, dpi: float) -> float:
    """The page's rotation in degrees (counter-clockwise positive), from its long lines."""
    import cv2
    import numpy as np

    # A tilted rule breaks into short runs, so the kernel here is shorter than for ruling.
    length = max(int(dpi * 0.25), 15)
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    # The standard Hough transform over ±MAX_SKEW around horizontal only, in 0.05° steps: a
    # long rule collects far more votes than any line of text. (HoughLinesP over all angles
    # took 3.5 s on an A4 page at 300 dpi; this takes a fraction of it.)
    slack = math.radians(MAX_SKEW)
    found = cv2.HoughLines(runs, 1, np.pi / 3600, threshold=int(dpi * 1.5),
                           min_theta=np.pi / 2 - slack, max_theta=np.pi / 2 + slack)
    if found is None:
        return 0.0
    # The strongest lines (sorted by votes), as counter-clockwise angles of the page.
    angles = [math.degrees(np.pi / 2 - theta) for _rho, theta in found.reshape(-1, 2)[:25]]
    return float(median(angles)) if angles else 0.0


def deskewed(grey: Any, dpi: float) -> tuple[Any, float]:
    import cv2

    angle = skew(binary(grey), dpi)
    if abs(angle) < 0.05:
        return grey, 0.0
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    straight = cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return straight, angle


def sideways(clean: Any, dpi: float) -> bool:
    """Whether the writing runs up or down the page: letters smeared a little along the line
    join into words, smeared across it they stay apart, so upright text makes fewer blobs when
    smeared sideways than when smeared up and down."""
    import cv2

    ink = 255 - clean
    reach = max(int(dpi / 72 * 1.5), 3)
    along = cv2.connectedComponents(cv2.dilate(ink, cv2.getStructuringElement(
        cv2.MORPH_RECT, (reach, 1))))[0]
    across = cv2.connectedComponents(cv2.dilate(ink, cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, reach))))[0]
    return across < along * 0.7 and along > 50
