"""Small charts drawn on the server as SVG (no JavaScript, nothing from a CDN): bars of the
on-time rate per month and the distribution of durations. Each chart carries a <title> and
an aria-label; the page shows the same figures in a table for screen readers."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 44
BAR = "#0d6efd"
LOW = "#b3261e"
AXIS = "#6c757d"


def _svg(label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik w-100 h-auto" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(label)}>'
            f"<title>{escape(label)}</title>{''.join(body)}</svg>")


def _axes(ticks: list[tuple[float, str]]) -> list[str]:
    """The frame, with horizontal grid lines at (fraction of the height, label)."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for fraction, text in ticks:
        y = TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#dee2e6" stroke-width="1"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="{AXIS}">{escape(text)}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" '
                 f'y2="{TOP + plot_h}" stroke="{AXIS}" stroke-width="1"/>')
    return parts


def bars(label: str, items: list[tuple[str, float | None, str]], *, maximum: float,
         ticks: list[tuple[float, str]], low: float | None = None) -> str:
    """A bar per (label under it, value or None, text over it); a value under `low` is drawn
    in red. Values are fractions of `maximum`."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _axes(ticks)
    if not items:
        return _svg(label, parts)
    step = plot_w / len(items)
    width = max(4.0, step * 0.7)
    every = max(1, len(items) // 12)  # at most twelve labels under the bars
    for i, (name, value, over) in enumerate(items):
        x = LEFT + step * i + (step - width) / 2
        if value is not None and maximum > 0:
            h = plot_h * min(value, maximum) / maximum
            colour = LOW if low is not None and value < low else BAR
            parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{width:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{escape(name)}: '
                         f"{escape(over)}</title></rect>")
            if len(items) <= 16:
                parts.append(f'<text x="{x + width / 2:.1f}" y="{TOP + plot_h - h - 3:.1f}" '
                             f'font-size="10" text-anchor="middle">{escape(over)}</text>')
        if i % every == 0:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                         f'font-size="11" text-anchor="middle" fill="{AXIS}">'
                         f"{escape(name)}</text>")
    return _svg(label, parts)
