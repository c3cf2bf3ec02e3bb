"""The linter runs with the tests: `pytest` runs everything CI runs, ruff's check included.

The rules are in pyproject.toml (`[tool.ruff]`): pyflakes, pycodestyle at 120
columns, isort, bugbear, pyupgrade and the docstring rules the code follows,
each exception there with its reason.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_ruff_finds_nothing():
    checked = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
