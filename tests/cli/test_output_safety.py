"""Never destroy what a user made: --force, concurrent runs, and output checked before simulating.

Issue 13. Most tests run the real command line in ``tmp_path`` (the ``bosim_cli``
fixture); those that must make writing fail after the simulation, or prove that nothing
was simulated, run ``bosim.cli.main`` in this process with one function replaced.
"""

from __future__ import annotations

import errno
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import bosim
import bosim.api
import bosim.cli
from bosim.errors import InputError
from bosim.outputs import run_folder
from bosim.outputs.folder import Staging, default_output_dir, output_folder, staging
from bosim.outputs.unsaved import keep_unsaved

Cli = Callable[..., subprocess.CompletedProcess[str]]
Writer = Callable[..., Path]

REPOSITORY = Path(__file__).parents[2]
EXAMPLE = REPOSITORY / "scenarios" / "example.toml"
RUN = ("run", "scenario.toml", "-r", "1", "-q")
"""A fast run of ``scenario.toml`` (add ``-o``)."""


def flat(text: str) -> str:
    """Whitespace collapsed, so a message wrapped at a space still matches."""
    return " ".join(text.split())


def everything_under(folder: Path) -> dict[str, bytes | None]:
    """Every path below ``folder`` (hidden ones too) with the bytes of each file."""
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
            for path in sorted(folder.rglob("*"))}


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """Check that bosim refused with exit 2 and a plain message; return stderr, flattened."""
    report = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 2, report
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, report
    return flat(result.stderr)


def manifest_seed(folder: Path) -> int:
    return int(json.loads((folder / "manifest.json").read_text())["seed"])


def run_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                   *args: str) -> tuple[int | str | None, str]:
    """``bosim ARGS`` through ``bosim.cli.main`` here; returns the exit code and stderr."""
    monkeypatch.setattr(sys, "argv", ["bosim", *args])
    with pytest.raises(SystemExit) as stopped:
        bosim.cli.main()
    return stopped.value.code, capsys.readouterr().err


def must_not_simulate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any simulation fail the test: what is checked must be checked before it."""

    def simulated(*args: object, **kwargs: object) -> None:
        raise AssertionError("bosim simulated before finding the problem")

    monkeypatch.setattr(bosim.api, "run_work", simulated)


def bosim_bound_by_permissions() -> list[str]:
    """The bosim command, run so that file permissions hold for it, also for root.

    Root passes every permission check, so a read-only folder is only read-only for it
    without the capability to override them (``setpriv`` drops it).
    """
    command = [sys.executable, "-m", "bosim.cli"]
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search",
            "--", *command]


# -------------------------------------------------------------------------- --force


def test_force_refuses_a_folder_bosim_did_not_write(tmp_path: Path, bosim_cli: Cli,
                                                     write_scenario: Writer) -> None:
    write_scenario()
    thesis = tmp_path / "data"
    (thesis / "chapters").mkdir(parents=True)
    (thesis / "thesis.docx").write_bytes(b"four years of work")
    (thesis / "chapters" / "one.tex").write_text("\\chapter{One}")
    before = everything_under(tmp_path)

    stderr = refused(bosim_cli(*RUN, "-o", "data", "--force"))

    assert "data: --force will not replace this folder" in stderr
    assert "not a results folder bosim wrote" in stderr
    assert "chapters/, thesis.docx" in stderr
    assert everything_under(tmp_path) == before


def test_force_refuses_a_results_folder_the_user_added_files_to(
        tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()
    assert bosim_cli(*RUN, "-o", "out").returncode == 0
    (tmp_path / "out" / "my notes.txt").write_text("what the numbers mean")
    before = everything_under(tmp_path)

    stderr = refused(bosim_cli(*RUN, "-o", "out", "--force"))

    assert "holds files bosim did not write (my notes.txt)" in stderr
    assert everything_under(tmp_path) == before


def test_force_never_removes_the_folder_holding_an_input_file(
        tmp_path: Path, bosim_cli: Cli, write_scenario: Writer, tiny_scenario: str) -> None:
    # The folder even looks like bosim's own, but holds the base the scenario extends.
    base = write_scenario("base.toml", folder=tmp_path / "data")
    (tmp_path / "data" / "manifest.json").write_text('{"format": "bosim-run"}')
    write_scenario(text='extends = "data/base.toml"\n')
    before = everything_under(tmp_path)

    stderr = refused(bosim_cli(*RUN, "-o", "data", "--force"))

    assert "it holds the input file" in stderr and str(base.relative_to(tmp_path)) in stderr
    assert everything_under(tmp_path) == before


def test_force_never_removes_the_current_folder_or_one_above(
        tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    inner = tmp_path / "project" / "work"
    write_scenario(folder=inner)
    (inner / "manifest.json").write_text('{"format": "bosim-run"}')
    before = everything_under(tmp_path)

    here = refused(bosim_cli(*RUN, "-o", ".", "--force", cwd=inner))
    above = refused(bosim_cli(*RUN, "-o", "..", "--force", cwd=inner))

    assert "it is the current folder" in here
    assert "it holds the current folder" in above
    assert everything_under(tmp_path) == before  # no hidden partial folder either


def test_force_replaces_a_results_folder_whole(tmp_path: Path, bosim_cli: Cli,
                                               write_scenario: Writer) -> None:
    write_scenario()
    assert bosim_cli(*RUN, "-o", "out", "--seed", "1", "--trace").returncode == 0
    assert (tmp_path / "out" / "events.parquet").exists()

    replaced = bosim_cli(*RUN, "-o", "out", "--seed", "2", "--force")

    assert replaced.returncode == 0, replaced.stderr
    assert manifest_seed(tmp_path / "out") == 2
    assert not (tmp_path / "out" / "events.parquet").exists()  # nothing of the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "scenario.toml"]


def test_force_replaces_an_empty_folder(tmp_path: Path, bosim_cli: Cli,
                                        write_scenario: Writer) -> None:
    write_scenario()
    (tmp_path / "out").mkdir()

    without = refused(bosim_cli(*RUN, "-o", "out"))
    done = bosim_cli(*RUN, "-o", "out", "--force")

    assert "exists already" in without and "add --force to replace it" in without
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "summary.csv").exists()


def test_force_replaces_a_comparison_folder(tmp_path: Path, bosim_cli: Cli,
                                            write_scenario: Writer) -> None:
    write_scenario("a.toml")
    write_scenario("b.toml", replace=[("capacity = 4\n", "capacity = 5\n")])
    first = bosim_cli("compare", "a.toml", "b.toml", "-r", "1", "-q", "-o", "cmp")
    assert first.returncode == 0, first.stderr

    again = bosim_cli("compare", "a.toml", "b.toml", "-r", "1", "-q", "-o", "cmp", "--force",
                      "--seed", "5")

    assert again.returncode == 0, again.stderr
    manifest = json.loads((tmp_path / "cmp" / "manifest.json").read_text())
    assert manifest["seed"] == 5


# ------------------------------------------------------------- checked before simulating


def test_unwritable_parent_is_refused_before_simulating(tmp_path: Path, bosim_cli: Cli,
                                                        write_scenario: Writer) -> None:
    program = bosim_bound_by_permissions()
    write_scenario()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        # 20,000 replications would take many minutes: the refusal comes first.
        result = bosim_cli("run", "scenario.toml", "-r", "20000", "-q", "-o", "locked/out",
                           program=program)
    finally:
        locked.chmod(0o755)

    stderr = refused(result)
    assert f"cannot write in {locked}" in stderr
    assert list(locked.iterdir()) == []


def test_report_into_a_read_only_folder_is_refused_plainly(
        tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    program = bosim_bound_by_permissions()
    write_scenario()
    assert bosim_cli(*RUN, "-o", "out").returncode == 0
    before = everything_under(tmp_path)
    (tmp_path / "out").chmod(0o555)
    try:
        result = bosim_cli("report", "out", "--lang", "nb", program=program)
    finally:
        (tmp_path / "out").chmod(0o755)

    assert "cannot write the report" in refused(result)
    assert everything_under(tmp_path) == before


def test_a_file_where_the_parent_should_be_is_refused(tmp_path: Path, bosim_cli: Cli,
                                                      write_scenario: Writer) -> None:
    write_scenario()
    (tmp_path / "notes").write_text("a file, not a folder")

    stderr = refused(bosim_cli(*RUN, "-o", "notes/out"))

    assert "is a file, so no folder can be made inside it" in stderr


def test_too_long_a_folder_name_is_refused(tmp_path: Path, bosim_cli: Cli,
                                           write_scenario: Writer) -> None:
    write_scenario()

    stderr = refused(bosim_cli(*RUN, "-o", "x" * 230))

    assert "the folder name is too long (230 characters)" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.toml"]


def test_too_little_room_is_refused_before_simulating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        write_scenario: Writer) -> None:
    write_scenario()
    monkeypatch.chdir(tmp_path)
    must_not_simulate(monkeypatch)
    real = shutil.disk_usage

    def nearly_full(path: str | os.PathLike[str]) -> object:
        return real(path)._replace(free=50_000)

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)

    code, stderr = run_in_process(monkeypatch, capsys, *RUN, "-o", "out")

    assert code == 2
    assert "not enough room for the results: about 0.2 MB needed" in flat(stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.toml"]


def test_the_estimate_grows_with_replications_and_the_trace(
        tmp_path: Path, write_scenario: Writer) -> None:
    scenario = bosim.load_scenario(write_scenario())
    few = bosim.api._estimated_bytes([scenario], 10, False, True)
    many = bosim.api._estimated_bytes([scenario], 1000, False, True)
    traced = bosim.api._estimated_bytes([scenario], 1000, True, True)
    summaries = bosim.api._estimated_bytes([scenario], 1000, True, False)
    # Low (a report alone is 0.3 MB or more), so no run is refused that would fit.
    assert summaries == bosim.api.REPORT_BYTES < 300_000
    assert few < many < traced


def test_default_folder_is_short_and_safe_whatever_the_scenario_is_called(
        tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    name = "../" + "Bydel Grünerløkka, " * 16 + "/x"  # 300 characters, slashes
    write_scenario(replace=[('name = "tiny"', f'name = "{name}"')])

    done = bosim_cli("run", "scenario.toml", "-r", "1", "-q")

    assert done.returncode == 0, done.stderr
    (written,) = (tmp_path / "results").iterdir()
    assert len(written.name) <= 100
    assert written.name.startswith("bydel-gr-nerl-kka-bydel-")
    assert (written / "summary.csv").exists()


def test_default_output_dir_is_a_slug_of_at_most_100_characters(tmp_path: Path) -> None:
    for name in ("../../etc/passwd", "a" * 500, "/", "", "Plan B: 10 FTE (24/7)"):
        path = default_output_dir(name, root=tmp_path)
        assert path.parent == tmp_path
        assert len(path.name) <= 100
        assert set(path.name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"), path.name
    (tmp_path / default_output_dir("x", root=tmp_path).name).mkdir()
    assert default_output_dir("x", root=tmp_path).name.endswith("-2")


def test_compare_plans_whose_names_differ_only_in_case(tmp_path: Path, bosim_cli: Cli,
                                                       write_scenario: Writer) -> None:
    write_scenario("Plan.toml")
    write_scenario("plan.toml", replace=[("capacity = 4\n", "capacity = 6\n")])

    done = bosim_cli("compare", "Plan.toml", "plan.toml", "-r", "1", "-q", "-o", "cmp")

    assert done.returncode == 0, done.stderr
    runs = json.loads((tmp_path / "cmp" / "manifest.json").read_text())["runs"]
    assert set(runs) == {"Plan", "plan"}
    assert len({folder.lower() for folder in runs.values()}) == 2
    for plan, folder in runs.items():
        manifest = json.loads((tmp_path / "cmp" / folder / "manifest.json").read_text())
        assert manifest["plan"] == plan
    capacities = {plan: json.loads((tmp_path / "cmp" / folder / "manifest.json").read_text())
                  ["scenario"]["places"]["flat"]["capacity"] for plan, folder in runs.items()}
    assert capacities["Plan"] != capacities["plan"]


def test_every_sweep_point_is_validated_before_simulating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_scenario: Writer) -> None:
    scenario = bosim.load_scenario(write_scenario())
    must_not_simulate(monkeypatch)

    with pytest.raises(InputError) as refusal:
        bosim.api.sweep(scenario, {"places.flat.capacity": [4, 6, -3]})

    assert "places.flat.capacity" in str(refusal.value)


def test_sweep_with_a_bad_point_leaves_nothing(tmp_path: Path, bosim_cli: Cli,
                                               write_scenario: Writer) -> None:
    write_scenario()

    stderr = refused(bosim_cli("sweep", "scenario.toml", "--vary",
                               "places.flat.capacity=4,-3", "-r", "1", "-q", "-o", "grid"))

    assert "places.flat.capacity" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.toml"]


# ------------------------------------------------------------------ concurrent runs


def staging_folders(parent: Path, name: str) -> list[Path]:
    return sorted(parent.glob(f".{name}.partial-*"))


@pytest.mark.slow
def test_two_runs_into_the_same_folder_both_keep_their_results(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bosim.cli", "run", str(EXAMPLE), "-r", "6", "-q",
               "-o", "out"]
    runs = {seed: subprocess.Popen([*command, "--seed", str(seed)], cwd=tmp_path, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for seed in (1, 2)}
    both_simulating = False
    while not both_simulating and all(run.poll() is None for run in runs.values()):
        both_simulating = len(staging_folders(tmp_path, "out")) == 2
        time.sleep(0.02)
    outputs = {seed: run.communicate(timeout=300) for seed, run in runs.items()}

    assert both_simulating, "the two runs did not overlap: the test proves nothing"
    assert all(run.returncode == 0 for run in runs.values()), outputs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out-2"]
    for seed, (stdout, stderr) in outputs.items():
        written = flat(stdout).rsplit("written to ", 1)[1].strip()
        assert manifest_seed(tmp_path / written) == seed
        if written == "out-2":
            assert "out appeared while this run was simulating" in flat(stderr)
            assert "written to out-2 instead" in flat(stderr)


def test_a_folder_that_appears_while_writing_is_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with staging(target) as reserved:
        reserved.building.mkdir()
        (reserved.building / "summary.csv").write_text("new")
        target.mkdir()  # another run, or a user, got there first
        (target / "theirs.txt").write_text("theirs")
        published = reserved.publish()

    assert published == tmp_path / "out-2"
    assert (target / "theirs.txt").read_text() == "theirs"
    assert (published / "summary.csv").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out-2"]


def test_force_does_not_replace_a_foreign_folder_that_appeared_meanwhile(
        tmp_path: Path) -> None:
    target = tmp_path / "out"
    with staging(target, force=True) as reserved:
        reserved.building.mkdir()
        target.mkdir()
        (target / "thesis.docx").write_text("thesis")
        published = reserved.publish()

    assert published == tmp_path / "out-2"
    assert (target / "thesis.docx").read_text() == "thesis"


def test_writing_a_folder_directly_names_both_when_the_name_was_taken(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with pytest.raises(InputError) as taken, output_folder(target) as building:
        (building / "a.csv").write_text("a")
        target.mkdir()

    assert "these results are in" in str(taken.value) and "out-2" in str(taken.value)
    assert (tmp_path / "out-2" / "a.csv").exists()


def test_an_interrupted_publish_leaves_only_a_staging_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt), staging(target) as reserved:
        reserved.building.mkdir()
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    assert isinstance(reserved, Staging) and reserved.published is None


# ------------------------------------------------------------ stale staging folders


def dead_process_id() -> int:
    """The number of a process that has ended (and been reaped)."""
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def test_staging_folders_of_killed_runs_are_removed_or_reported(
        tmp_path: Path, bosim_cli: Cli, write_scenario: Writer) -> None:
    write_scenario()
    pid = dead_process_id()
    killed = tmp_path / f".out.partial-{pid}-abc123"
    killed.mkdir()
    (killed / ".bosim-owner.json").write_text(json.dumps(
        {"pid": pid, "host": socket.gethostname(), "started": ""}))
    (killed / "out").mkdir()
    elsewhere = tmp_path / f".old.partial-{os.getpid()}-def456"
    elsewhere.mkdir()
    (elsewhere / ".bosim-owner.json").write_text(json.dumps(
        {"pid": os.getpid(), "host": "another-host.example", "started": ""}))
    alive = tmp_path / f".busy.partial-{os.getpid()}-0a0b0c"  # this process: running
    alive.mkdir()
    (alive / ".bosim-owner.json").write_text(json.dumps(
        {"pid": os.getpid(), "host": socket.gethostname(), "started": ""}))

    done = bosim_cli(*RUN, "-o", "new")

    assert done.returncode == 0, done.stderr
    stderr = flat(done.stderr)
    assert f"removed {killed}, a partial results folder left by a bosim run that was " \
           f"stopped (process {pid})" in stderr
    assert not killed.exists()
    assert f"found {elsewhere}, a partial results folder of a run on another-host.example" \
           in stderr
    assert elsewhere.exists() and alive.exists()
    assert str(alive) not in stderr


# ----------------------------------------------------- writing fails after simulating


def test_results_are_kept_when_the_disk_fills_while_writing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        write_scenario: Writer) -> None:
    write_scenario()
    monkeypatch.chdir(tmp_path)

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(run_folder, "write_whole", disk_full)

    code, stderr = run_in_process(monkeypatch, capsys, *RUN, "-o", "out", "--lang", "nb")

    assert code == 1
    assert "could not write the results folder" in stderr
    assert "No space left on device" in stderr
    assert "bug" not in stderr and "internal error" not in stderr
    (kept,) = tmp_path.glob("*.bosim-unsaved.pickle")
    assert f"kept in {kept}" in flat(stderr) and 'lang="nb"' in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["scenario.toml", kept.name])
    monkeypatch.undo()

    # The command the message gives writes the folder (here under another name).
    command = shlex.split(stderr.split("\n  python -c ", 1)[1].splitlines()[0])[0]
    command = command.replace(json.dumps(str(tmp_path / "out")),
                              json.dumps(str(tmp_path / "later")))
    again = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True,
                           cwd=tmp_path, check=False)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "later" / "summary.csv").exists()
    assert "<html lang=nb>" in (tmp_path / "later" / "report.html").read_text()[:300]


def test_results_are_kept_in_the_temporary_folder_when_the_parent_is_gone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        write_scenario: Writer) -> None:
    write_scenario()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "system-temp"))
    (tmp_path / "system-temp").mkdir()
    (tmp_path / "results").mkdir()
    simulate = bosim.api.simulate

    def simulate_then_lose_the_folder(*args: object, **kwargs: object) -> object:
        results = simulate(*args, **kwargs)  # type: ignore[arg-type]
        shutil.rmtree(tmp_path / "results")  # someone tidies up meanwhile
        (tmp_path / "results").write_text("now a file")
        return results

    monkeypatch.setattr(bosim.api, "simulate", simulate_then_lose_the_folder)

    code, stderr = run_in_process(monkeypatch, capsys, *RUN, "-o", "results/out")

    assert code == 1
    assert "could not write the results folder" in stderr and "bug" not in stderr
    (kept,) = (tmp_path / "system-temp").glob("*.bosim-unsaved.pickle")
    assert f"kept in {kept}" in flat(stderr)
    loaded = bosim.api.load_unsaved(kept)
    assert isinstance(loaded, bosim.Results)
    assert loaded.summary.equals(simulate(loaded.scenario, replications=1).summary)


def test_a_removed_parent_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        write_scenario: Writer) -> None:
    write_scenario()
    monkeypatch.chdir(tmp_path)
    simulate = bosim.api.simulate

    def simulate_then_remove_the_parent(*args: object, **kwargs: object) -> object:
        results = simulate(*args, **kwargs)  # type: ignore[arg-type]
        shutil.rmtree(tmp_path / "results")
        return results

    monkeypatch.setattr(bosim.api, "simulate", simulate_then_remove_the_parent)

    code, _ = run_in_process(monkeypatch, capsys, *RUN, "-o", "results/out")

    assert code == 0
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["out"]


def test_keep_unsaved_round_trips_a_comparison(tmp_path: Path, write_scenario: Writer) -> None:
    base = write_scenario("a.toml")
    plan = write_scenario("b.toml", replace=[("capacity = 4\n", "capacity = 6\n")])
    comparison = bosim.compare(base, plan, replications=1)

    kept = keep_unsaved(comparison, tmp_path / "out")
    loaded = bosim.api.load_unsaved(kept)

    assert kept.parent == tmp_path
    assert isinstance(loaded, bosim.Comparison)
    assert loaded.table.equals(comparison.table)


def test_a_command_leaves_the_signal_handlers_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        write_scenario: Writer) -> None:
    write_scenario()
    monkeypatch.chdir(tmp_path)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)

    code, _ = run_in_process(monkeypatch, capsys, *RUN, "-o", "out")

    assert code == 0
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
