"""Calibration figures for the scenarios in this folder (scenarios/CALIBRATION.md).

Usage, after ``bosim run SCENARIO.toml --trace -o DIR``:

    python scenarios/calibration.py DIR [DIR ...]

Prints, per results folder, the figures that are not in ``summary.csv`` but are needed
to check a scenario against its targets (mean over replications, 95 % t-interval):

- the homeless count (``mean_homeless_people``) by place;
- the transitional / episodic / chronic split (Kuhn & Culhane 1998): among the people
  who arrived in the observed window and used a shelter, a hostel or temporary housing
  (new users), and among everyone who used one in the window (all users); and each
  segment's share of the shelter and hostel bed-days in the window;
- for people who arrived in the observed window with at least a year left: days from
  arrival to the first housed place (At Home/Chez Soi: 73 days with Housing First, 220
  with usual services), the share housed within a year, and the share housed (or away
  in an institution from a home they keep) 365 days after arrival, of those still in the
  target group;
- 12-month retention (bosim's ``housing_retention_12m``, from the trace) by segment and
  by the place of the housing start;
- a warm-up check: the yearly mean of the homeless count and of each place's queue,
  from ``timeseries.parquet`` (negative years are the warm-up).

Everything is computed from the run folder (``manifest.json``, ``summary.csv``,
``timeseries.parquet``, ``events.parquet``); nothing is simulated here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

HOMELESS = {"street", "acute", "temporary"}
HOUSED = {"shared", "housing_first", "ordinary"}
MOVES = {"admission", "return", "exit", "leave", "breakdown"}
"""Events after which the person is somewhere else (or gone)."""
YEAR = 365.0


def ci(values: np.ndarray | pd.Series) -> str:
    """``mean (low – high)``: mean over replications with a 95 % t-interval."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size < 2:
        return f"{v.mean():.3g}" if v.size else "–"
    half = stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return f"{v.mean():.3g} ({v.mean() - half:.3g} – {v.mean() + half:.3g})"


def pct(values: np.ndarray | pd.Series) -> str:
    """As :func:`ci`, in per cent."""
    v = np.asarray(values, dtype=float) * 100
    v = v[~np.isnan(v)]
    if v.size < 2:
        return f"{v.mean():.1f} %" if v.size else "–"
    half = stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return f"{v.mean():.1f} % ({v.mean() - half:.1f} – {v.mean() + half:.1f})"


def intervals(events: pd.DataFrame, end: float) -> pd.DataFrame:
    """Stays: ``replication, person, segment, place, start, stop`` from the trace."""
    moves = events[events.event.isin(MOVES)].copy()
    moves["order"] = np.arange(len(moves))
    moves = moves.sort_values(["replication", "person", "time", "order"], kind="stable")
    nxt = moves.groupby(["replication", "person"], sort=False)["time"].shift(-1)
    moves["stop"] = nxt.fillna(end)
    stays = moves[moves.event.isin({"admission", "return"})]
    return stays.rename(columns={"time": "start"})[
        ["replication", "person", "segment", "place", "start", "stop"]
    ]


def main() -> None:
    """Print the figures for each results folder named on the command line."""
    for folder in map(Path, sys.argv[1:]):
        report(folder)


def report(folder: Path) -> None:
    """Print the calibration figures of one results folder."""
    manifest = json.loads((folder / "manifest.json").read_text())
    scenario = manifest["scenario"]
    kinds = {name: place["kind"] for name, place in scenario["places"].items()}
    years = scenario["simulation"]["years"]
    end = years * YEAR
    summary = pd.read_csv(folder / "summary.csv", keep_default_na=False,
                          na_values=["", "nan", "NaN"])
    summary = summary[summary.segment.fillna("") == ""]  # the whole target group
    print(f"## {manifest['scenario_name']} ({folder})\n")
    row = summary[summary.metric == "mean_homeless_people"].iloc[0]
    print(f"mean_homeless_people: {row['mean']:.1f} ({row.ci_low:.1f} – {row.ci_high:.1f})")
    occ = summary[summary.metric == "mean_occupancy"].set_index("place")["mean"]
    parts = ", ".join(f"{p} {occ[p]:.1f}" for p in kinds if kinds[p] in HOMELESS)
    print(f"  by place: {parts}")
    key_metrics(summary, kinds)

    events_path = folder / "events.parquet"
    if events_path.exists():
        events = pd.read_parquet(events_path)
        events["segment"] = events["segment"].astype(str)
        events["event"] = events["event"].astype(str)
        segments = [s["name"] for s in scenario["segments"]]
        split(events, kinds, segments, end)
        careers(events, kinds, segments, end)
        retention(events, kinds, segments, end)
    warmup(folder, kinds)
    print()


SYSTEM = (
    ("mean_homeless_people", 1.0, "{:.1f}"),
    ("housing_retention_12m", 100.0, "{:.1f} %"),
    ("homeless_days_per_person_year", 1.0, "{:.1f}"),
    ("breakdowns_per_100_person_years", 1.0, "{:.1f}"),
    ("unmet_crisis_share", 100.0, "{:.1f} %"),
    ("emergency_events", 1.0, "{:.0f}"),
    ("institution_days", 1.0, "{:.0f}"),
    ("cost_pv", 1e-6, "{:.1f} M"),
    ("cost_pv_municipality", 1e-6, "{:.1f} M"),
    ("cost_pv_state", 1e-6, "{:.1f} M"),
    ("cost_pv_other", 1e-6, "{:.1f} M"),
)
PLACEWISE = ("mean_occupancy", "utilization", "mean_queue", "mean_wait_days", "p90_wait_days")


def _cell(row: pd.Series, scale: float, fmt: str) -> str:
    if pd.isna(row["mean"]):
        return "–"
    text = fmt.format(row["mean"] * scale)
    if pd.isna(row.ci_low):
        return text
    low, high = fmt.format(row.ci_low * scale), fmt.format(row.ci_high * scale)
    return f"{text} ({low} – {high})"


def key_metrics(summary: pd.DataFrame, kinds: dict[str, str]) -> None:
    """The summary's key rows (mean and 95 % interval over replications) as markdown."""
    summary = summary.assign(place=summary.place.fillna(""))
    print("\n| metric (summary.csv) | mean (95 % interval) |")
    print("|---|---|")
    for metric, scale, fmt in SYSTEM:
        rows = summary[(summary.metric == metric) & (summary.place == "")
                       & (summary.segment == "")]
        if len(rows):
            print(f"| `{metric}` | {_cell(rows.iloc[0], scale, fmt)} |")
    places = [p for p, k in kinds.items() if k not in {"street"}]
    print("\n| place | " + " | ".join(f"`{m}`" for m in PLACEWISE) + " |")
    print("|---|" + "---|" * len(PLACEWISE))
    for place in places:
        cells = []
        for metric in PLACEWISE:
            rows = summary[(summary.metric == metric) & (summary.place == place)]
            scale, fmt = (100.0, "{:.0f} %") if metric == "utilization" else (1.0, "{:.1f}")
            cells.append(_cell(rows.iloc[0], scale, fmt) if len(rows) else "–")
        if any(c not in ("–", "0.0 (0.0 – 0.0)") for c in cells):
            print(f"| {place} | " + " | ".join(cells) + " |")
    teams = summary[summary.metric == "staff_utilization"]
    if len(teams):
        print("\n| team | `staff_utilization` |")
        print("|---|---|")
        for _, row in teams.iterrows():
            print(f"| {row.place} | {_cell(row, 100.0, '{:.0f} %')} |")


def split(events: pd.DataFrame, kinds: dict[str, str], segments: list[str], end: float) -> None:
    """The transitional / episodic / chronic split among shelter users, and bed-days."""
    stays = intervals(events, end)
    stays = stays[(stays.stop > 0) & (stays.start < end)]
    stays = stays.assign(days=stays.stop.clip(upper=end) - stays.start.clip(lower=0))
    shelterish = {p for p, k in kinds.items() if k in {"acute", "temporary"}}
    acute = {p for p, k in kinds.items() if k == "acute"}
    arrived = events[(events.event == "arrival") & (events.time >= 0)][["replication", "person"]]
    new = set(map(tuple, arrived.to_numpy()))
    rows = {}
    for label, places, only_new in (
        ("new users of shelter, hostel or temporary", shelterish, True),
        ("all users of shelter, hostel or temporary", shelterish, False),
        ("all users of shelter or hostel", acute, False),
    ):
        used = stays[stays.place.isin(places)][["replication", "person", "segment"]]
        used = used.drop_duplicates()
        if only_new:
            keys = list(map(tuple, used[["replication", "person"]].to_numpy()))
            used = used[[k in new for k in keys]]
        counts = used.groupby(["replication", "segment"]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=segments, fill_value=0)
        rows[label] = counts.div(counts.sum(axis=1), axis=0)
    days = stays[stays.place.isin(acute)].groupby(["replication", "segment"])["days"].sum()
    days = days.unstack(fill_value=0.0).reindex(columns=segments, fill_value=0.0)
    rows["share of shelter and hostel bed-days"] = days.div(days.sum(axis=1), axis=0)
    days = stays[stays.place.isin(shelterish)].groupby(["replication", "segment"])["days"].sum()
    days = days.unstack(fill_value=0.0).reindex(columns=segments, fill_value=0.0)
    rows["share of shelter, hostel and temporary bed-days"] = days.div(days.sum(axis=1), axis=0)
    print("\n| measure | " + " | ".join(segments) + " |")
    print("|---|" + "---|" * len(segments))
    for label, frame in rows.items():
        print(f"| {label} | " + " | ".join(pct(frame[s]) for s in segments) + " |")


def careers(events: pd.DataFrame, kinds: dict[str, str], segments: list[str],
            end: float) -> None:
    """Days from arrival to housing, and whether people are housed a year after arrival."""
    stays = intervals(events, end)
    stays["housed"] = stays.place.map(kinds).isin(HOUSED)
    arrivals = events[(events.event == "arrival") & (events.time >= 0)
                      & (events.time <= end - YEAR)][["replication", "person", "segment", "time"]]
    arrivals = arrivals.rename(columns={"time": "arrived"})
    first = (stays[stays.housed].groupby(["replication", "person"])["start"].min()
             .rename("housed_at").reset_index())
    exits = (events[events.event == "exit"].groupby(["replication", "person"])["time"].min()
             .rename("exit_at").reset_index())
    people = arrivals.merge(first, how="left").merge(exits, how="left")
    people["wait"] = people.housed_at - people.arrived
    # where each person is 365 days after arrival
    probe = stays.merge(arrivals, on=["replication", "person", "segment"])
    at = probe.arrived + YEAR
    inside = probe[(probe.start <= at) & (probe.stop > at)]
    # an institution stay from a home the person keeps counts as housed (a "return" follows)
    kept = kept_homes(events)
    inst = inside.place.map(kinds) == "institution"
    keys = list(zip(inside.replication, inside.person, inside.start, strict=True))
    inside = inside.assign(housed=inside.housed | (inst & pd.Series(
        [k in kept for k in keys], index=inside.index)))
    status = inside.groupby(["replication", "person"])["housed"].any().rename("housed_1y")
    people = people.merge(status.reset_index(), how="left")
    alive = people.exit_at.isna() | (people.exit_at > people.arrived + YEAR)
    print("\n| arrivals in the window (a year left) | " + " | ".join(segments) + " | all |")
    print("|---|" + "---|" * (len(segments) + 1))
    groups = [*[(s, people[people.segment == s]) for s in segments], ("all", people)]
    cells = []
    for _, g in groups:
        cells.append(ci(g.groupby("replication")["wait"].mean()))
    print("| days from arrival to housing (those housed) | " + " | ".join(cells) + " |")
    cells = []
    for _, g in groups:
        within = (g.wait <= YEAR).groupby(g.replication).mean()
        cells.append(pct(within))
    print("| housed within 365 days | " + " | ".join(cells) + " |")
    cells = []
    for _, g in groups:
        a = g[alive.loc[g.index]]
        cells.append(pct(a.housed_1y.fillna(False).astype(float).groupby(a.replication).mean()))
    print("| housed 365 days after arrival (still in the group) | " + " | ".join(cells) + " |")


def kept_homes(events: pd.DataFrame) -> set[tuple[int, int, float]]:
    """(replication, person, admission time) of institution stays that end in a return."""
    rows = events[events.event.isin({"admission", "return", "exit", "leave", "breakdown"})]
    rows = rows.assign(order=np.arange(len(rows)))
    rows = rows.sort_values(["replication", "person", "time", "order"], kind="stable")
    nxt = rows.groupby(["replication", "person"], sort=False)["event"].shift(-1)
    hit = rows[(rows.event == "admission") & (nxt == "return")]
    return set(zip(hit.replication, hit.person, hit.time, strict=True))


def retention(events: pd.DataFrame, kinds: dict[str, str], segments: list[str],
              end: float) -> None:
    """12-month retention of housing starts by segment and by place of the start."""
    stays = intervals(events, end)
    stays["kind"] = stays.place.map(kinds)
    stays = stays.sort_values(["replication", "person", "start"], kind="stable")
    # an institution stay from a home the person keeps is not a move out of housing
    kept = kept_homes(events)
    keys = zip(stays.replication, stays.person, stays.start, strict=True)
    stays["kind"] = stays.kind.where(
        [k not in kept for k in keys], "home_institution")
    prev = stays.groupby(["replication", "person"], sort=False)["kind"].shift(1)
    housed = stays.kind.isin(HOUSED)
    was_housed = prev.isin(HOUSED | {"home_institution"})
    starts = stays[housed & ~was_housed].copy()
    homeless = stays[stays.kind.isin(HOMELESS)][["replication", "person", "start"]]
    homeless = homeless.rename(columns={"start": "homeless_at"})
    m = starts.reset_index().merge(homeless, on=["replication", "person"], how="left")
    m = m[(m.homeless_at.isna()) | (m.homeless_at > m.start)]
    first_homeless = m.groupby("index")["homeless_at"].min()
    starts["homeless_at"] = first_homeless.reindex(starts.index)
    exits = (events[events.event == "exit"].groupby(["replication", "person"])["time"].min()
             .rename("exit_at"))
    starts = starts.join(exits, on=["replication", "person"])
    starts = starts[(starts.start >= 0) & (starts.start <= end - YEAR)]
    failed = starts.homeless_at <= starts.start + YEAR
    exited = (~failed) & (starts.exit_at <= starts.start + YEAR)
    starts = starts.assign(retained=~failed)[~exited]
    print("\n| 12-month retention (from the trace) | value |")
    print("|---|---|")
    print(f"| all starts | {pct(starts.groupby('replication').retained.mean())} |")
    for s in segments:
        g = starts[starts.segment == s]
        print(f"| segment {s} ({len(g) / g.replication.nunique():.1f} starts a run) | "
              f"{pct(g.groupby('replication').retained.mean())} |")
    for p in [p for p, k in kinds.items() if k in HOUSED]:
        g = starts[starts.place == p]
        if len(g):
            print(f"| starts in {p} ({len(g) / g.replication.nunique():.1f} a run) | "
                  f"{pct(g.groupby('replication').retained.mean())} |")


def warmup(folder: Path, kinds: dict[str, str]) -> None:
    """Yearly means (over months and replications) of the homeless count and the queues."""
    ts = pd.read_parquet(folder / "timeseries.parquet")
    ts["year"] = np.floor(ts.day / YEAR + 1e-9).astype(int)
    ts["homeless"] = ts.place.map(kinds).isin(HOMELESS) * ts.occupancy
    per_month = ts.groupby(["replication", "day", "year"]).homeless.sum().reset_index()
    homeless = per_month.groupby("year").homeless.mean()
    queues = ts.groupby(["year", "place"]).queue.mean().unstack()
    queues = queues.loc[:, queues.max() > 0.05]
    table = pd.concat([homeless.rename("homeless"), queues.add_prefix("queue ")], axis=1)
    worst = per_month.groupby(["replication", "year"]).homeless.mean().groupby("year").max()
    table["homeless, worst replication"] = worst
    print("\nWarm-up check, yearly means over replications (years < 0 are warm-up):\n")
    print(table.round(1).to_string())


if __name__ == "__main__":
    main()
