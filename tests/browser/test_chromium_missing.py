"""Without chromium the browser tests fail with how to install it; they never skip."""

from __future__ import annotations

import shutil
from pathlib import Path

import app_server
import pytest


def test_missing_chromium_fails_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(Path, "exists", lambda self: False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        app_server.chromium_path()
