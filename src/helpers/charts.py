"""Charts in the project's style: ranges drawn as ranges, a source line on each, saved with their data."""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from . import fmt, paths
from .validate import date_floor

STAGE_COLOURS = {"claim": "#D55E00", "outcome": "#0072B2"}
STAGE_MARKERS = {"claim": "o", "outcome": "s"}


def use_style() -> None:
    """Apply the project's style sheet (shipped in the package)."""
    plt.style.use(str(paths.STYLE_SHEET))
    # SVGs without a creation date, so rebuilding the same data writes the same bytes.
    mpl.rcParams["svg.hashsalt"] = "privacy-actions"


def _sentence(text: str) -> str:
    """A title as a sentence: 'all platforms: ...' -> 'All platforms: ...'."""
    return text[:1].upper() + text[1:]


def add_source_line(fig, text: str) -> None:
    """The source line under every chart."""
    fig.text(0.01, -0.02, text, ha="left", va="top", fontsize=8, color="#555555", wrap=True)


def money_axis(ax, currency: str, axis: str = "x") -> None:
    """Log-scale money axis with readable tick labels ('EUR 1 million')."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_formatter(FuncFormatter(lambda v, _: fmt.money(v, currency)))


def _draw_range(ax, low: float, high: float, y: float, colour: str, marker: str, size: int) -> None:
    """A range as a thick line from low to high with a marker at each end (one marker if they are equal)."""
    ax.plot([low, high], [y, y], color=colour, linewidth=3, solid_capstyle="butt")
    ax.plot([low, high], [y, y], linestyle="none", marker=marker, color=colour, markersize=size)


def _finish_range_axes(fig, ax, labels, currency: str, xlabel: str, title: str, handles, source: str):
    """Row labels top to bottom, a log money axis, the finding as title, legend above, source below."""
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    money_axis(ax, currency)
    ax.set_xlabel(xlabel)
    ax.set_title(_sentence(title), pad=26)
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=max(len(handles), 1), borderaxespad=0.2)
    add_source_line(fig, source)
    return fig


def range_chart(
    frame: pd.DataFrame,
    label: str,
    low: str,
    high: str,
    stage: str,
    currency: str,
    title: str,
    source: str,
    xlabel: str,
):
    """One line per row from low to high (a dot where they are equal), coloured by stage, log scale."""
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.42 * len(frame) + 1.2)))
    rows = frame.reset_index(drop=True)
    for i, r in rows.iterrows():
        _draw_range(ax, r[low], r[high], i, STAGE_COLOURS.get(r[stage], "#000000"), STAGE_MARKERS.get(r[stage], "o"), 6)
    handles = [
        plt.Line2D(
            [],
            [],
            color=c,
            marker=STAGE_MARKERS[s],
            linewidth=3,
            label=f"{s}: demanded or proposed" if s == "claim" else f"{s}: decided, agreed or paid",
        )
        for s, c in STAGE_COLOURS.items()
        if s in set(rows[stage])
    ]
    return _finish_range_axes(fig, ax, rows[label], currency, xlabel, title, handles, source)


def save_chart(fig, name: str, data: pd.DataFrame, alt: str, folder: Path | None = None) -> dict[str, Path]:
    """Save a chart as PNG and SVG with its data as CSV and its alt text (see paths.charts_dir)."""
    folder = Path(folder or paths.charts_dir())
    folder.mkdir(parents=True, exist_ok=True)
    out = {
        "png": folder / f"{name}.png",
        "svg": folder / f"{name}.svg",
        "csv": folder / f"{name}.csv",
        "alt": folder / f"{name}.alt.txt",
    }
    fig.savefig(out["png"], metadata={"Software": None})
    fig.savefig(out["svg"], metadata={"Date": None, "Creator": None})
    data.to_csv(out["csv"], index=False, lineterminator="\n", float_format="%.10g")
    out["alt"].write_text(html.escape(alt) + "\n", encoding="utf-8")
    return out


def show(fig, alt: str) -> None:
    """Display a chart in the notebook as a PNG that carries its alt text into the HTML report."""
    import io

    from IPython.display import Image, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png", metadata={"alt": alt}))


def source_line(frame: pd.DataFrame, currency: str) -> str:
    """The standard source line: dataset, data version, number of sources, conversion."""
    from .params import data_version

    return (
        f"Source: privacy-actions dataset, data version {data_version()}; {frame['source_id'].nunique()} "
        f"sources, listed in the report. {currency} at the ECB rate of each action's date."
    )


def alt_text(summary: str, frame: pd.DataFrame, label: str, low: str, high: str, currency: str, limit: int = 40) -> str:
    """Alt text: what the chart is, then its values (the first `limit` of them)."""
    values = [f"{r[label]}: {fmt.money_range(r[low], r[high], currency)}" for _, r in frame.head(limit).iterrows()]
    more = f"; and {len(frame) - limit} more" if len(frame) > limit else ""
    return f"{summary}. " + "; ".join(values) + more


SERIES_STYLE = {"demanded": ("#D55E00", "o"), "decided": ("#0072B2", "s"), "paid": ("#009E73", "D")}


def series_chart(
    frame: pd.DataFrame,
    label: str,
    series: list[tuple[str, str, str]],
    currency: str,
    title: str,
    source: str,
    xlabel: str,
):
    """Several ranges per row (e.g. demanded, decided, paid), each low-high, nudged apart, on a log scale."""
    rows = frame.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.5 * len(rows) + 1.4)))
    offsets = [(i - (len(series) - 1) / 2) * 0.22 for i in range(len(series))]
    for (low, high, name), offset in zip(series, offsets):
        colour, marker = SERIES_STYLE.get(name, ("#000000", "o"))
        for i, r in rows.iterrows():
            if pd.notna(r[high]):
                _draw_range(ax, r[low], r[high], i + offset, colour, marker, 5)
    handles = [
        plt.Line2D([], [], color=SERIES_STYLE[n][0], marker=SERIES_STYLE[n][1], linewidth=3, label=n)
        for _, _, n in series
        if n in SERIES_STYLE
    ]
    return _finish_range_axes(fig, ax, rows[label], currency, xlabel, title, handles, source)


def timeline_chart(frame: pd.DataFrame, title: str, source: str):
    """Each action as a marker on a date axis, one line per jurisdiction; claims and outcomes told apart."""
    rows = frame.copy()
    rows["when"] = date_floor(rows["date"].astype("str"))
    order = rows.groupby("jurisdiction")["when"].min().sort_values().index.tolist()
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.36 * len(order) + 1.4)))
    for stage, (colour, marker) in {
        "claim": (STAGE_COLOURS["claim"], "o"),
        "outcome": (STAGE_COLOURS["outcome"], "s"),
    }.items():
        part = rows[rows["stage"] == stage]
        ax.scatter(
            part["when"],
            part["jurisdiction"].map(order.index),
            color=colour,
            marker=marker,
            s=28,
            label="demanded or proposed" if stage == "claim" else "decided, agreed or paid",
            alpha=0.85,
        )
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.grid(axis="x", visible=True)
    ax.set_xlabel("Date of the action")
    ax.set_title(_sentence(title), pad=26)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, borderaxespad=0.2)
    add_source_line(fig, source)
    return fig


def heatmap(table: pd.DataFrame, title: str, source: str, xlabel: str, ylabel: str):
    """Counts as a shaded grid with the number in each cell (zero left blank)."""
    fig, ax = plt.subplots(figsize=(max(6, 0.5 * len(table.columns) + 3), max(2.5, 0.3 * len(table) + 1.5)))
    ax.imshow(table.to_numpy(dtype="float64"), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns], rotation=90)
    ax.set_yticks(range(len(table.index)), table.index)
    ax.grid(False)
    for (i, j), value in pd.DataFrame(table.to_numpy()).stack().items():
        if value:
            ax.text(
                j,
                i,
                str(int(value)),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > table.to_numpy().max() / 2 else "#1a1a1a",
            )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(_sentence(title))
    add_source_line(fig, source)
    return fig
