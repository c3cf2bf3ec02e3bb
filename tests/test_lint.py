"""The linter runs with the tests: `pytest` runs everything CI runs, ruff's check and format included.

The rules are in pyproject.toml (`[tool.ruff]`): pyflakes, pycodestyle at 120
columns, isort, bugbear, pyupgrade and the docstring rules the code follows,
each exception there with its reason; and the code keeps ruff's format
(`ruff format` writes it).
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ruff(*arguments):
    """Run ruff over the project; (exit code, what it said)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_ruff_finds_nothing():
    code, said = ruff("check", "--output-format", "concise")
    assert code == 0, said


def test_the_code_keeps_ruffs_format():
    code, said = ruff("format", "--check")
    assert code == 0, said
