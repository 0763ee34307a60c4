"""Charts in the project's style: ranges drawn as ranges, a source line on each, saved with their data."""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from . import fmt, paths

STAGE_COLOURS = {"claim": "#D55E00", "outcome": "#0072B2"}
STAGE_MARKERS = {"claim": "o", "outcome": "s"}


def use_style() -> None:
    """Apply the project's style sheet (shipped in the package)."""
    plt.style.use(str(paths.STYLE_SHEET))
    # SVGs without a creation date, so rebuilding the same data writes the same bytes.
    mpl.rcParams["svg.hashsalt"] = "privacy-actions"


def add_source_line(fig, text: str) -> None:
    """The source line under every chart."""
    fig.text(0.01, -0.02, text, ha="left", va="top", fontsize=8, color="#555555", wrap=True)


def money_axis(ax, currency: str, axis: str = "x") -> None:
    """Log-scale money axis with readable tick labels ('EUR 1 million')."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_formatter(FuncFormatter(lambda v, _: fmt.money(v, currency)))


def range_chart(frame: pd.DataFrame, label: str, low: str, high: str, stage: str,
                currency: str, title: str, source: str, xlabel: str):
    """One line per row from low to high (a dot where they are equal), coloured by stage, log scale."""
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.42 * len(frame) + 1.2)))
    rows = frame.reset_index(drop=True)
    for i, r in rows.iterrows():
        colour = STAGE_COLOURS.get(r[stage], "#000000")
        ax.plot([r[low], r[high]], [i, i], color=colour, linewidth=3, solid_capstyle="butt")
        ax.plot([r[low], r[high]], [i, i], linestyle="none", marker=STAGE_MARKERS.get(r[stage], "o"),
                color=colour, markersize=6)
    ax.set_yticks(range(len(rows)), rows[label])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    money_axis(ax, currency)
    ax.set_xlabel(xlabel)
    ax.set_title(title, pad=26)
    handles = [plt.Line2D([], [], color=c, marker=STAGE_MARKERS[s], linewidth=3, label=f"{s}: demanded or proposed"
                          if s == "claim" else f"{s}: decided, agreed or paid")
               for s, c in STAGE_COLOURS.items() if s in set(rows[stage])]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(handles), borderaxespad=0.2)
    add_source_line(fig, source)
    return fig


def save_chart(fig, name: str, data: pd.DataFrame, alt: str, folder: Path | None = None) -> dict[str, Path]:
    """Save a chart as PNG and SVG with its data as CSV and its alt text (see paths.charts_dir)."""
    folder = Path(folder or paths.charts_dir())
    folder.mkdir(parents=True, exist_ok=True)
    out = {"png": folder / f"{name}.png", "svg": folder / f"{name}.svg", "csv": folder / f"{name}.csv",
           "alt": folder / f"{name}.alt.txt"}
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

    return (f"Source: privacy-actions dataset, data version {data_version()}; {frame['source_id'].nunique()} "
            f"sources, listed in the report. {currency} at the ECB rate of each action's date.")


def alt_text(summary: str, frame: pd.DataFrame, label: str, low: str, high: str, currency: str,
             limit: int = 40) -> str:
    """Alt text: what the chart is, then its values (the first `limit` of them)."""
    values = [f"{r[label]}: {fmt.money_range(r[low], r[high], currency)}" for _, r in frame.head(limit).iterrows()]
    more = f"; and {len(frame) - limit} more" if len(frame) > limit else ""
    return f"{summary}. " + "; ".join(values) + more
