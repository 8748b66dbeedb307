"""The answers go into pandas as they are (skipped when pandas is not installed)."""

import pytest

import escalint

pd = pytest.importorskip("pandas")

NOW = "2026-11-22T12:00:00-05:00"


def test_reports_round_trip_through_pandas(tmp_path, golden):
    records = [e["record"] for e in golden if e["question"] == "validate" and e["now"] == NOW]
    reports = escalint.validate_many(records, now=NOW)

    frame = pd.DataFrame(reports)
    assert list(frame.columns) == ["id", "valid", "policy_version", "violations"]
    assert frame["valid"].dtype == bool
    assert len(frame) == len(reports)

    flat = pd.json_normalize(reports, record_path="violations", meta=["id", "valid", "policy_version"])
    expected_rows = sum(len(r["violations"]) for r in reports)
    assert len(flat) == expected_rows > 0
    assert {"rule", "severity", "path", "message", "sop", "id", "valid"} <= set(flat.columns)
    counts = flat["rule"].value_counts()
    for rule, n in counts.items():
        assert n == sum(v["rule"] == rule for r in reports for v in r["violations"])

    # Back from pandas: the frame's rows are the reports again.
    assert frame.to_dict("records") == reports

    # The analyst example of docs/python.md: a JSON Lines history, validated, counted per rule.
    history = tmp_path / "history.jsonl"
    # JSON text holds no raw newline inside strings: joining the lines keeps each case intact.
    history.write_text("\n".join(r.replace("\r", " ").replace("\n", " ") for r in records) + "\n")
    from_file = pd.json_normalize(list(escalint.validate_file(history, now=NOW)), "violations", ["id"])
    assert from_file["rule"].value_counts().sum() == len(from_file)


def test_records_from_a_dataframe():
    frame = pd.DataFrame(
        [
            {"id": "ESC-1", "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00-05:00", "channel": "phone"},
            {"id": "ESC-2", "procedure": "leadership_request", "opened_at": "2026-11-20T10:00:00-05:00", "channel": None},
        ]
    )
    reports = escalint.validate_many(frame.to_dict("records"), now=NOW)
    assert [r["id"] for r in reports] == ["ESC-1", "ESC-2"]
    stamped = frame.assign(opened_at=pd.to_datetime(frame["opened_at"]))
    assert escalint.validate_many(stamped.to_dict("records"), now=NOW) == reports
