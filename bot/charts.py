"""Who is quoted, as a picture: a bar chart of the most quoted people and, when their articles
are dated over more than one day, their quotes over time. PNG, drawn with matplotlib's Agg
backend on a Figure of its own (no pyplot state), so charts can be drawn on worker threads
beside each other, off the event loop.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

TOP = 15  # people in the bar chart
OVER_TIME = 5  # people whose quotes are drawn over time
MAX_CAPTION = 1024  # Telegram's caption limit, in characters (as shown)

SpeakerDates = list[tuple[str, dt.date | None, int]]


def speakers_chart(rows: SpeakerDates, title: str) -> bytes:
    """The PNG: the TOP most quoted people (bars), and over time when dated on several days."""
    totals: Counter[str] = Counter()
    for speaker, _, n in rows:
        totals[speaker] += n
    top = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    dated = {when for _, when, _ in rows if when is not None}
    over_time = len(dated) > 1
    figure = Figure(figsize=(8, 9 if over_time else 5.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    bars = figure.add_subplot(2, 1, 1) if over_time else figure.add_subplot(1, 1, 1)
    names = [name for name, _ in reversed(top)]
    bars.barh(names, [n for _, n in reversed(top)], color="#3b6ea5")
    bars.set_xlabel("quotes")
    bars.set_title(title)
    bars.xaxis.set_major_locator(MaxNLocator(integer=True))
    if over_time:
        lines = figure.add_subplot(2, 1, 2)
        by_day: dict[str, Counter[dt.date]] = defaultdict(Counter)
        for speaker, when, n in rows:
            if when is not None:
                by_day[speaker][when] += n
        days = sorted(dated)
        x = [float(d.toordinal()) for d in days]
        for name, _ in top[:OVER_TIME]:
            counts = by_day.get(name)
            if counts:
                lines.plot(x, [counts[d] for d in days], marker="o", label=name)
        ticks = x[:: max(1, len(x) // 8)]  # at most ~8 labels, whatever the span
        lines.set_xticks(ticks, [dt.date.fromordinal(int(t)).isoformat() for t in ticks])
        lines.set_ylabel("quotes per article day")
        lines.set_title("over time")
        lines.legend(loc="upper left", fontsize="small")
        lines.yaxis.set_major_locator(MaxNLocator(integer=True))
        figure.autofmt_xdate()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def caption(head: str, lines: list[str], more: str) -> str:
    """`head` and as many of `lines` as fit in a caption, then `more` if some did not."""
    shown = [head]
    for i, line in enumerate(lines):
        left = len(lines) - i
        tail = more.format(left=left)
        if sum(len(s) + 1 for s in [*shown, line, tail]) > MAX_CAPTION:
            return "\n".join([*shown, tail])
        shown.append(line)
    return "\n".join(shown)
