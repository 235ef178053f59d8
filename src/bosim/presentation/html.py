"""The building blocks of bosim's self-contained HTML pages: head, sections, tables, figures.

Pages have no scripts, fonts or links out; figures are PNGs embedded as data URIs, so a
report can be forwarded by e-mail and printed. Every text a user wrote (names,
descriptions) goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from bosim.presentation.language import translate
from bosim.presentation.numbers import localise
from bosim.presentation.numbers import number as format_number

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; color: #222;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
     border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; page-break-inside: avoid; } img { max-width: 100%; }
.note { color: #555; font-size: 0.9rem; }
.warning { background: #fff4e5; border-left: 4px solid #e69500; padding: 0.5rem 0.8rem; }
@media print { body { max-width: none; } h2 { page-break-after: avoid; } }
"""

INTERVAL = {"en": "95 % interval {} to {}", "nb": "95 % intervall {} til {}"}


def escape(text: object) -> str:
    """User text as HTML text."""
    return html.escape(str(text))


def number(value: object, unit: str, lang: str = "en") -> str:
    """A number as a planner reads it (:func:`bosim.presentation.numbers.number`)."""
    return format_number(value, unit, lang)


def page_head(title: str, lang: str) -> list[str]:
    """The start of a page, up to and including ``<body>``."""
    return [
        f"<!DOCTYPE html><html lang={lang}><head><meta charset=utf-8>",
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]


def section(title: str, lang: str) -> str:
    """A section heading (``title`` in English, translated)."""
    slug = title.lower().replace(" ", "-")
    return f'<h2 id="{escape(slug)}">{escape(translate(title, lang))}</h2>'


def subsection(title: str) -> str:
    """A sub-heading (already in the page's language)."""
    return f"<h3>{escape(title)}</h3>"


def table(headers: list[str], rows: list[list[str]], lang: str, numeric_from: int = 1) -> str:
    """A table; headers in English are translated, cells are HTML already escaped."""
    head = "".join(f"<th>{escape(translate(h, lang))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td class=n>{cell}</td>" if i >= numeric_from else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def figure_tag(figure: Figure, caption: str, lang: str = "en") -> str:
    """A matplotlib figure as an embedded PNG with its caption; the figure is closed.

    ``lang``: numbers on the axes in that language's format.
    """
    localise(figure, lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption class=note>{escape(caption)}</figcaption></figure>"
    )


def warning(text: str) -> str:
    """A highlighted paragraph for something the reader must not miss."""
    return f"<p class=warning>{escape(text)}</p>"
