"""escalint.summarize: breakdowns of a file, of cases and of reports, against counts made here
from the input and validate_file's reports; DataFrames with pandas, lists of dicts without."""

import json
import pathlib
import sys

import pytest

import escalint

ROOT = pathlib.Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history.jsonl"
NOW = "2026-11-22T12:00:00-05:00"


def rows(table):
    """A table (DataFrame or list of dicts) as {key: (cases, with_errors, warnings_only, violations)}."""
    records = table.to_dict("records") if hasattr(table, "to_dict") else table
    return {r["key"]: (r["cases"], r["with_errors"], r["warnings_only"], r["violations"]) for r in records}


def expected(by_key):
    """Counts made here: for each line, its key (from the case) and its report."""
    lines = HISTORY.read_text(encoding="utf-8").splitlines()
    reports = list(escalint.validate_file(HISTORY, now=NOW))
    assert len(lines) == len(reports)
    out = {}
    for line, report in zip(lines, reports):
        try:
            case = json.loads(line)
        except ValueError:
            case = None
        if not isinstance(case, dict):
            case = None
        errors = any(v["severity"] == "error" for v in report["violations"])
        key = by_key(case) if case is not None else "(none)"
        c = out.setdefault(key, [0, 0, 0, 0])
        c[0] += 1
        c[1] += errors
        c[2] += (not errors) and bool(report["violations"])
        c[3] += len(report["violations"])
    return {k: tuple(v) for k, v in out.items()}, reports


def servicer(case):
    s = (case.get("order") or {}).get("servicer") or {}
    return (s.get("name") or s.get("a_number") or "(none)").strip()


def test_a_file_breaks_down_by_servicer_and_procedure():
    want_servicer, reports = expected(servicer)
    want_procedure, _ = expected(lambda c: c.get("procedure") or "(none)")
    got = escalint.summarize(HISTORY, by=["servicer", "procedure"], now=NOW, top=10_000)
    assert rows(got["servicer"]) == want_servicer
    assert rows(got["procedure"]) == want_procedure
    assert got["totals"]["cases"] == len(reports)
    assert got["totals"]["valid"] == sum(r["valid"] for r in reports)


def test_cases_and_reports_give_the_same_totals_and_rules_as_the_file():
    cases = HISTORY.read_text(encoding="utf-8").splitlines()
    from_file = escalint.summarize(str(HISTORY), by="rule,servicer", now=NOW, top=10_000)
    from_cases = escalint.summarize(cases, by=["rule", "servicer"], now=NOW, top=10_000)
    assert rows(from_cases["rule"]) == rows(from_file["rule"])
    assert rows(from_cases["servicer"]) == rows(from_file["servicer"])
    reports = list(escalint.validate_file(HISTORY, now=NOW))
    from_reports = escalint.summarize(reports, by=["rule"], top=10_000)
    assert from_reports["totals"] == from_file["totals"]
    assert rows(from_reports["rule"]) == rows(from_file["rule"])


def test_top_n_keeps_the_rest_as_other():
    got = escalint.summarize(HISTORY, by=["servicer"], now=NOW, top=3)
    table = rows(got["servicer"])
    assert len(table) == 4 and "(other)" in table
    assert sum(v[0] for v in table.values()) == got["totals"]["cases"]


def test_without_pandas_tables_are_lists_of_dicts(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    got = escalint.summarize(HISTORY, by=["closer"], now=NOW)
    assert isinstance(got["closer"], list) and got["closer"][0]["key"]
    assert set(got["closer"][0]) == {"key", "cases", "with_errors", "warnings_only", "violations", "error_rate", "top_rules"}


def test_with_pandas_tables_are_dataframes():
    pd = pytest.importorskip("pandas")
    got = escalint.summarize(HISTORY, by=["region"], now=NOW)
    assert isinstance(got["region"], pd.DataFrame)
    assert got["region"]["cases"].sum() == got["totals"]["cases"]


def test_an_unknown_dimension_names_the_closest():
    with pytest.raises(ValueError, match="did you mean region"):
        escalint.summarize(HISTORY, by=["regions"])
