"""Figure style of the book: theme, territory colours, phase shading, French number formats."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from alesbook.phases import PHASES

#: Okabe-Ito colour-blind-safe palette; one colour per role of territory, the same in every chapter.
PALETTE = {
    "territoire": "#D55E00",  # the territory the book is about (Alès Agglomération by default)
    "zone_emploi": "#E69F00",
    "commune": "#CC79A7",
    "departement": "#0072B2",
    "region": "#009E73",
    "france": "#000000",
    "autre": "#56B4E9",
    "autre2": "#F0E442",
}


def set_theme() -> None:
    """The seaborn theme of the book, with French decimal commas on axes."""
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    mpl.rcParams.update({
        "axes.formatter.use_locale": False,
        "figure.figsize": (8, 4.5),
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "axes.spines.top": False,
        "axes.spines.right": False,
    })


def fr_number(value, decimals: int = 0) -> str:
    """French number format: narrow no-break space between thousands, decimal comma."""
    if value is None or value != value:
        return "n.d."
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def fr_signed(value, decimals: int = 0, unit: str = "") -> str:
    """A change with its sign, French format and a true minus sign: « +5 206 », « −1 891 »."""
    if value is None or value != value:
        return "n.d."
    return ("+" if value > 0 else "") + fr_number(value, decimals).replace("-", "−") + unit


def fr_by_sign(value, positive: str, negative: str, zero: str | None = None) -> str:
    """The word that fits the sign of `value`, so that glued prose stays true for any territory:
    fr_by_sign(change, "gagné", "perdu"); fr_by_sign(gap, "au-dessus", "en dessous", "au niveau")."""
    if value is None or value != value:
        raise ValueError("no word for a missing value")
    if value == 0:
        return negative if zero is None else zero
    return positive if value > 0 else negative


def fr_de(name: str) -> str:
    """« de » before a name, elided before a vowel or a mute h: « d'Auch », « de Decazeville »."""
    return f"d'{name}" if name[:1].lower() in "aeiouyhàâéèêîôûœ" else f"de {name}"


def fr_percent(value, decimals: int = 1) -> str:
    """A percentage (value already in %) in French format: « 12,3 % »."""
    return f"{fr_number(value, decimals)}\u00a0%"


def french_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    """Format an axis' tick labels the French way."""
    formatter = FuncFormatter(lambda value, _: fr_number(value, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def shade_phases(ax, legend: bool = True, **legend_options) -> None:
    """Shade the mining era and the reconversion phases behind a time series (x axis in years).

    With `legend`, the phases join the axes' legend (placed below the plot), so that narrow
    phases never carry overlapping labels.
    """
    from matplotlib.patches import Patch

    left, right = ax.get_xlim()
    shown = []
    for phase in PHASES:
        lo, hi = max(phase.start, left), min(phase.end, right)
        if lo >= hi:
            continue
        ax.axvspan(lo, hi, color=phase.colour, alpha=0.6, zorder=0, lw=0)
        shown.append(Patch(facecolor=phase.colour, alpha=0.6, label=phase.label))
    ax.set_xlim(left, right)
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        options = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.08), "ncol": 3, "frameon": False,
                   "fontsize": 8.5, **legend_options}
        ax.legend(handles + shown, labels + [p.get_label() for p in shown], **options)


def new_figure(width: float = 8, height: float = 4.5):
    """A figure and its axes in the book's theme."""
    set_theme()
    return plt.subplots(figsize=(width, height))


#: Environment variable set by `alesbook run`: where notebooks save the figures the chapters show.
FIGURE_DIR_ENV = "ALESBOOK_FIGURE_DIR"


def save(fig, name: str, alt: str):
    """Save a figure as OUT/_executed/figures/NAME.png for the chapters, close it, and return a
    Markdown image (with its alt text) that the executed notebook displays in its place."""
    from IPython.display import Markdown

    from alesbook import paths

    folder = Path(os.environ.get(FIGURE_DIR_ENV, paths.ROOT / "_executed" / "figures"))
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.png", metadata={"Software": None})
    plt.close(fig)
    return Markdown(f"![{alt}](figures/{name}.png)")
