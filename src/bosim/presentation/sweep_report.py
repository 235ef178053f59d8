"""``report.html`` of a sweep: a figure per chosen metric against the varied values."""

from __future__ import annotations

from bosim.presentation import figures
from bosim.presentation.html import escape, figure_tag, page_head
from bosim.presentation.language import translate
from bosim.presentation.views import SweepView

INTRO = {
    "en": "Varied: {paths}. {points} points, each simulated with the same people and "
          "random draws (common random numbers).",
    "nb": "Variert: {paths}. {points} punkter, hvert simulert med de samme personene og "
          "de samme tilfeldige trekkene (felles tilfeldige tall).",
}


def render_sweep_report(sweep: SweepView, metrics: list[str], lang: str = "en") -> str:
    """A self-contained page with a figure per chosen metric."""
    name = sweep.scenario.meta.name
    parts = page_head(f"{translate('Sweep', lang)}: {name}: bosim", lang)
    intro = INTRO[lang].format(paths=", ".join(sweep.paths), points=len(sweep.points))
    parts += [
        f"<h1>{escape(translate('Sweep', lang))}: {escape(name)}</h1>",
        f"<p>{escape(intro)}</p>",
    ]
    for metric in metrics:
        parts.append(figure_tag(figures.sweep(sweep, metric, lang=lang), metric))
    made_by = translate("Made by bosim. All metrics at every point are in sweep.csv.", lang)
    parts.append(f"<p class=note>{escape(made_by)}</p></body></html>")
    return "\n".join(parts)
