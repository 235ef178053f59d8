"""The README's Python example runs as written, and its commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert blocks[0].strip() == "python3 -m pip install -e . && bosim run scenarios/example.toml"
    assert blocks[1].strip() == 'python3 -m pip install -e ".[test]" && python3 -m pytest -q'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_python_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                             tmp_path: Path) -> None:
    """Run in a fresh folder that sees the bundled scenarios, as a new user's clone would."""
    (code,) = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    summary = namespace["summary"]
    assert len(summary) > 0  # type: ignore[arg-type]
    assert 0.0 <= float(namespace["retention"]) <= 1.0  # type: ignore[arg-type]
    printed = capsys.readouterr().out.strip()
    float(printed)  # the difference it prints is a number
    assert (tmp_path / "results" / "bigger-hf" / "report.html").exists()
