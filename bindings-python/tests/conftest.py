"""Shared fixtures: the Rust core's answers (golden files) to compare the wheel against.

scripts/test-python.sh writes them with the core_answers example and passes the folder in
ESCALINT_GOLDEN_DIR. Run alone (plain ``pytest``), this file writes them itself with cargo.
"""

import json
import os
import pathlib
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASE_DIRS = [
    ROOT / "bindings-python" / "tests" / "cases",
    ROOT / "examples" / "cases",
    ROOT / "tests" / "fixtures" / "rules",
    ROOT / "tests" / "c" / "cases",
]


@pytest.fixture(scope="session")
def golden_dir() -> pathlib.Path:
    given = os.environ.get("ESCALINT_GOLDEN_DIR")
    if given:
        return pathlib.Path(given)
    out = pathlib.Path(tempfile.mkdtemp(prefix="escalint-golden-"))
    subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "escalint-python", "--example", "core_answers", "--", str(out)]
        + [str(d) for d in CASE_DIRS if d.exists()],
        cwd=ROOT,
        check=True,
    )
    return out


@pytest.fixture(scope="session")
def golden(golden_dir):
    """Every question the core answered: dicts with source, question, record, now, proposal, answer."""
    with open(golden_dir / "answers.jsonl", encoding="utf-8") as f:
        entries = [json.loads(line) for line in f]
    assert entries, "the core answered no question"
    return entries


@pytest.fixture(scope="session")
def contract_example():
    with open(ROOT / "bindings-python" / "tests" / "cases" / "contract_example.json", encoding="utf-8") as f:
        return json.load(f)


def dict_answers(rows):
    """Arrow answer rows (``Table.to_pylist()``, Spark's ``Row.asDict(recursive=True)``) as the
    dict answers write them: the optional keys (hint, overdue, party, options) left out when null."""
    for row in rows:
        for v in row["violations"]:
            if v["hint"] is None:
                del v["hint"]
        for step in row.get("steps", []):
            for key in ("overdue", "party", "options"):
                if step[key] is None:
                    del step[key]
    return rows


@pytest.fixture(name="dict_answers", scope="session")
def dict_answers_fixture():
    """``dict_answers``, for the Arrow and Spark tests."""
    return dict_answers
