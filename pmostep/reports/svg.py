"""Small charts as inline SVG for the board report: plain data in, an `<svg>` string out.

The board report is one self-contained HTML file that a browser prints to PDF, so its charts are drawn
here rather than by Plotly (which needs JavaScript). Same house style as `charts`: Okabe-Ito colours,
and every series also differs by pattern or dash and carries its values as text, so no reading depends
on colour alone. Every chart has a title, labelled axes and a text alternative (`<title>`, `<desc>`,
`aria-label`); every text is escaped, so a name with `<&>` stays text.
"""

from __future__ import annotations

import hashlib
import html
import math
import textwrap
from collections.abc import Sequence

from pmostep.core.numbers import figure, known
from pmostep.reports.charts import CURRENT_COLOUR, DESIRED_COLOUR

FONT = 12
CHAR_WIDTH = 0.56            # average glyph width over the font size, to size label columns without metrics
AXIS_COLOUR = "#333333"
GRID_COLOUR = "#DDDDDD"
LIMIT_COLOUR = "#D55E00"     # vermillion: a capacity or budget line
BAR_COLOUR = "#56B4E9"       # sky blue: a single series
DASHED = 'stroke-width="2.5" stroke-dasharray="6 4"'

Scale = Sequence[tuple[int, str]]    # (value, label) of each scale point: (1, "Ad hoc"), ...


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(x: float) -> str:
    """A coordinate with one decimal (keeps the markup short)."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: int = FONT, anchor: str = "start", weight: str = "normal",
          fill: str = AXIS_COLOUR, extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}"{extra}>{_e(text)}</text>')


def _lines(x: float, y: float, lines: list[str], size: int = FONT, anchor: str = "end") -> str:
    """Several lines of text centred vertically on y."""
    top = y - (len(lines) - 1) * size * 0.6
    spans = "".join(f'<tspan x="{_n(x)}" y="{_n(top + k * size * 1.2)}">{_e(line)}</tspan>'
                    for k, line in enumerate(lines))
    return (f'<text font-size="{size}" text-anchor="{anchor}" fill="{AXIS_COLOUR}" '
            f'dominant-baseline="middle">{spans}</text>')


def _seg(x1: float, y1: float, x2: float, y2: float, stroke: str = AXIS_COLOUR, extra: str = "") -> str:
    """A straight line: an axis, a grid line, a limit."""
    return (f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}"'
            f'{" " + extra if extra else ""}/>')


def _width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def _hatch(title: str) -> str:
    """The id of a chart's hatch pattern, one per chart, so that ids stay unique in one HTML page."""
    return "hatch-" + hashlib.sha1(title.encode()).hexdigest()[:8]


def _svg(width: float, height: float, title: str, desc: str, body: str) -> str:
    """The chart's frame: its title drawn at the top, and the text alternative for screen readers."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{_e(title)}" '
            f'font-family="Helvetica, Arial, sans-serif">'
            f'<title>{_e(title)}</title><desc>{_e(desc)}</desc>'
            f'<defs><pattern id="{_hatch(title)}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#FBE3B0"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{DESIRED_COLOUR}" stroke-width="3"/></pattern></defs>'
            f'{_text(width / 2, 18, title, size=14, anchor="middle", weight="bold")}{body}</svg>')


def _legend(x: float, y: float, items: list[tuple[str, str]]) -> str:
    """Swatches with their names in a row: (name, fill or url(#pattern))."""
    out = []
    for name, fill in items:
        out.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="14" height="10" fill="{fill}" '
                   f'stroke="{AXIS_COLOUR}" stroke-width="0.5"/>')
        out.append(_text(x + 19, y, name))
        x += 19 + _width(name) + 18
    return "".join(out)


def _score(x: float | None) -> str:
    return "no score" if x is None else f"{x:.2f}"


def current_vs_desired(rows: Sequence[tuple[str, float | None, float | None]], scale: Scale,
                       title: str = "Current and desired maturity per dimension") -> str:
    """Horizontal bars per dimension, current (solid) above desired (hatched), on the level scale.

    Bars start at the scale's lowest point, so a bar's length is how far a dimension is above "the
    bottom"; each bar carries its value, and a dimension without a score says so.
    """
    label_lines = [textwrap.wrap(name, 26) or [""] for name, _, _ in rows]
    label_w = max([_width(line) for lines in label_lines for line in lines] + [60]) + 12
    low, high = scale[0][0], scale[-1][0]
    plot_w, band = 420.0, 38.0
    left, top = label_w, 56.0
    width, height = left + plot_w + 40, top + band * len(rows) + 52

    def x(v: float) -> float:
        return left + (v - low) / (high - low) * plot_w

    body = [_legend(left, 40, [("Current", CURRENT_COLOUR), ("Desired", f"url(#{_hatch(title)})")]),
            _text(left - 8, 40, "Dimension", anchor="end", weight="bold")]
    for value, label in scale:
        body.append(_seg(x(value), top, x(value), top + band * len(rows), GRID_COLOUR))
        body.append(_text(x(value), top + band * len(rows) + 16, f"{value} {label}", size=11,
                          anchor="middle"))
    for k, ((_, current, desired), lines) in enumerate(zip(rows, label_lines, strict=True)):
        y = top + band * k
        body.append(_lines(left - 8, y + band / 2, lines))
        for offset, value, fill in ((4, current, CURRENT_COLOUR), (19, desired, f"url(#{_hatch(title)})")):
            v = known(value)
            if v is None:
                body.append(_text(left + 4, y + offset + 11, "no score", size=10))
                continue
            end = x(min(max(v, low), high))
            body.append(f'<rect x="{_n(left)}" y="{_n(y + offset)}" width="{_n(max(end - left, 1))}" '
                        f'height="14" fill="{fill}" stroke="{AXIS_COLOUR}" stroke-width="0.4"/>')
            body.append(_text(end + 4, y + offset + 11, f"{v:.2f}", size=10))
    body.append(_seg(left, top + band * len(rows), left + plot_w, top + band * len(rows)))
    body.append(_text(left + plot_w / 2, height - 10, f"Maturity level ({low}-{high})", anchor="middle",
                      weight="bold"))
    desc = "; ".join(f"{name}: current {_score(known(c))}, desired {_score(known(d))}" for name, c, d in rows)
    return _svg(width, height, title, desc + ".", "".join(body))


def gap_bars(rows: Sequence[tuple[str, float, float]], title: str = "The largest gaps") -> str:
    """Horizontal bars of the gap (desired minus current) per dimension, with its priority written beside
    (two decimals, as the Gaps page's table)."""
    label_lines = [textwrap.wrap(name, 26) or [""] for name, _, _ in rows]
    figures = [f"gap {gap:.2f} · priority {priority:.2f}" for _, gap, priority in rows]
    label_w = max([_width(line) for lines in label_lines for line in lines] + [60]) + 12
    top_value = max([g for _, g, _ in rows] + [1.0])
    high = math.ceil(top_value * 2) / 2
    plot_w, band = 300.0, 34.0
    left, top = label_w, 34.0
    right = max([_width(f, 11) for f in figures] + [120]) + 10      # the longest bar's figures fit
    width, height = left + plot_w + right, top + band * len(rows) + 48

    def x(v: float) -> float:
        return left + v / high * plot_w

    body = []
    ticks = [k / 2 for k in range(int(high * 2) + 1)]
    for t in ticks:
        body.append(_seg(x(t), top, x(t), top + band * len(rows), GRID_COLOUR))
        body.append(_text(x(t), top + band * len(rows) + 15, figure(t), size=11, anchor="middle"))
    for k, ((_, gap, _), lines, written) in enumerate(zip(rows, label_lines, figures, strict=True)):
        y = top + band * k
        body.append(_lines(left - 8, y + band / 2, lines))
        body.append(f'<rect x="{_n(left)}" y="{_n(y + 8)}" width="{_n(max(x(gap) - left, 1))}" height="18" '
                    f'fill="{LIMIT_COLOUR}" stroke="{AXIS_COLOUR}" stroke-width="0.4"/>')
        body.append(_text(x(gap) + 5, y + 21, written, size=11))
    body.append(_seg(left, top + band * len(rows), left + plot_w, top + band * len(rows)))
    body.append(_text(left + plot_w / 2, height - 8, "Gap in levels (desired minus current)", anchor="middle",
                      weight="bold"))
    desc = "; ".join(f"{name}: gap {gap:.2f}, priority {priority:.2f}" for name, gap, priority in rows)
    return _svg(width, height, title, (desc or "No gap") + ".", "".join(body))


def columns(categories: Sequence[str], values: Sequence[float], title: str, y_label: str,
            x_label: str, limit: float | None = None, limit_label: str = "") -> str:
    """Vertical bars with their values on top, against a dashed limit (a capacity or a budget)."""
    plot_w, plot_h = 80.0 * max(len(categories), 1), 170.0
    left, top = 58.0, 40.0
    width, height = left + plot_w + 20, top + plot_h + 52
    high = max([*values, limit or 0.0, 1.0]) * 1.15
    step = _step(high)

    def y(v: float) -> float:
        return top + plot_h - v / high * plot_h

    body = []
    t = 0.0
    while t <= high:
        body.append(_seg(left, y(t), left + plot_w, y(t), GRID_COLOUR))
        body.append(_text(left - 6, y(t) + 4, figure(t), size=11, anchor="end"))
        t += step
    for k, (name, v) in enumerate(zip(categories, values, strict=True)):
        x0 = left + 80.0 * k + 18
        body.append(f'<rect x="{_n(x0)}" y="{_n(y(v))}" width="44" height="{_n(y(0) - y(v))}" '
                    f'fill="{BAR_COLOUR}" stroke="{AXIS_COLOUR}" stroke-width="0.4"/>')
        body.append(_text(x0 + 22, y(v) - 4, figure(v), size=11, anchor="middle"))
        body.append(_text(x0 + 22, top + plot_h + 15, name, size=11, anchor="middle"))
    if limit is not None:
        body.append(_seg(left, y(limit), left + plot_w, y(limit), LIMIT_COLOUR, DASHED))
        body.append(_text(left + plot_w - 2, y(limit) - 4, limit_label, size=11, anchor="end",
                          fill=LIMIT_COLOUR))
    body.append(_seg(left, y(0), left + plot_w, y(0)))
    body.append(_text(left + plot_w / 2, height - 8, x_label, anchor="middle", weight="bold"))
    body.append(_text(14, top + plot_h / 2, y_label, anchor="middle", weight="bold",
                      extra=f' transform="rotate(-90 14 {_n(top + plot_h / 2)})"'))
    desc = "; ".join(f"{name}: {figure(v)}" for name, v in zip(categories, values, strict=True))
    if limit is not None:
        desc += f"; {limit_label}"
    return _svg(width, height, title, desc + ".", "".join(body))


def _step(high: float) -> float:
    """A round grid step giving four to eight lines up to `high`."""
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100):
        if high / step <= 8:
            return float(step)
    return 10.0 ** math.ceil(math.log10(high))


def line(stages: Sequence[str], values: Sequence[float], scale: Scale, title: str, x_label: str,
         series: str, target: float | None = None, target_label: str = "") -> str:
    """One series across stages (today, the end of each wave) on the level scale, against a dashed target."""
    low, high = scale[0][0], scale[-1][0]
    label_w = max(_width(f"{v} {label}", 11) for v, label in scale) + 12
    plot_w, plot_h = 90.0 * max(len(stages) - 1, 1) + 40, 200.0
    left, top = label_w + 22, 52.0
    width, height = left + plot_w + 30, top + plot_h + 50

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    def x(k: int) -> float:
        return left + 20 + 90.0 * k

    body = [_legend(left, 38, [(series, CURRENT_COLOUR)])]
    if target is not None:
        start = left + 70 + _width(series)
        body.append(_seg(start, 34, start + 22, 34, DESIRED_COLOUR, DASHED))
        body.append(_text(start + 28, 38, target_label))
    for value, label in scale:
        body.append(_seg(left, y(value), left + plot_w, y(value), GRID_COLOUR))
        body.append(_text(left - 6, y(value) + 4, f"{value} {label}", size=11, anchor="end"))
    if target is not None:
        body.append(_seg(left, y(target), left + plot_w, y(target), DESIRED_COLOUR, DASHED))
    points = " ".join(f"{_n(x(k))},{_n(y(v))}" for k, v in enumerate(values))
    body.append(f'<polyline points="{points}" fill="none" stroke="{CURRENT_COLOUR}" stroke-width="3"/>')
    for k, (stage, v) in enumerate(zip(stages, values, strict=True)):
        body.append(f'<circle cx="{_n(x(k))}" cy="{_n(y(v))}" r="4.5" fill="{CURRENT_COLOUR}"/>')
        body.append(_text(x(k), y(v) + 18, f"{v:.2f}", size=11, anchor="middle", fill=CURRENT_COLOUR))
        body.append(_text(x(k), top + plot_h + 16, stage, size=11, anchor="middle"))
    body.append(_seg(left, top + plot_h, left + plot_w, top + plot_h))
    body.append(_text(left + plot_w / 2, height - 8, x_label, anchor="middle", weight="bold"))
    body.append(_text(12, top + plot_h / 2, f"Maturity level ({low}-{high})", anchor="middle", weight="bold",
                      extra=f' transform="rotate(-90 12 {_n(top + plot_h / 2)})"'))
    desc = "; ".join(f"{stage}: {v:.2f}" for stage, v in zip(stages, values, strict=True))
    if target is not None:
        desc += f"; {target_label} {target:.2f}"
    return _svg(width, height, title, desc + ".", "".join(body))
