"""read_table and Engine(select=, ignore=) on the example exports (examples/exports/)."""

import pathlib
import warnings

import pytest

import escalint

EXPORTS = pathlib.Path(__file__).resolve().parents[2] / "examples" / "exports"


def test_read_table_yields_one_case_per_row_and_warns_about_unmapped_cells():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cases = list(escalint.read_table(EXPORTS / "closings.csv", EXPORTS / "closings.map.toml"))
    assert len(cases) == 10
    assert cases[0]["opened_at"] == "2026-03-02T09:15:00-05:00"  # New York
    assert cases[1]["opened_at"] == "2026-03-08T10:00:00-05:00"  # Chicago, clocks went forward that night
    assert cases[2]["opened_at"] == "2026-11-01T09:00:00-08:00"  # Los Angeles, clocks went back
    assert cases[6]["escalation"]["damage_claim"] is True
    [warning] = [w for w in caught if issubclass(w.category, escalint.MappingWarning)]
    assert 'line 9, column "Type": "Instal" is not in the map' in str(warning.message)
    assert 'closest key: "Install"' in str(warning.message)
    assert "procedure" not in cases[7]


def test_select_cl_reports_only_closing_findings():
    engine = escalint.Engine(select=["CL"])
    assert engine.rules_not_run == ["AM", "FMS", "LD", "RS", "TM"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", escalint.MappingWarning)
        cases = list(escalint.read_table(str(EXPORTS / "closings.csv"), str(EXPORTS / "closings.map.toml")))
    answers = list(engine.validate_many(cases))
    assert [r["id"] for r in answers] == [c["id"] for c in cases] and len(answers) == 10  # one report per row
    reports = {r["id"]: [v["rule"] for v in r["violations"]] for r in answers}
    assert not any(rule.startswith("TM") for rules in reports.values() for rule in rules)
    assert reports["ESC-26-1004"] == ["CL005"]
    assert reports["ESC-26-1005"] == ["CL001"]
    assert reports["ESC-26-1010"] == ["CL003"]
    everything = escalint.Engine()
    assert everything.rules_not_run == []
    assert "TM001" in [v["rule"] for v in everything.validate(cases[0])["violations"]]
    narrow = escalint.Engine(select=["CL"], ignore=["CL007"])
    assert "CL007" in narrow.rules_not_run
    with pytest.raises(ValueError, match="closest: CL"):
        escalint.Engine(select=["CLL"])


def test_events_are_gathered_from_an_unsorted_table():
    cases = list(
        escalint.read_table(
            EXPORTS / "tickets.csv", EXPORTS / "tickets.map.toml", events=EXPORTS / "ticket-events.csv"
        )
    )
    assert [len(c["events"]) for c in cases] == [4, 3, 3, 3, 2]
    rules = [[v["rule"] for v in escalint.validate(c)["violations"]] for c in cases]
    assert rules == [[], ["TM002"], ["TM001", "TM002"], [], ["CL002"]]


def test_a_dataframe_and_a_dict_mapping():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"Ticket": ["A-1", "A-2"], "Opened": ["2026-04-11 08:00", "2026-11-01 01:30"]})
    mapping = {
        "case": {
            "/id": "Ticket",
            "/procedure": {"value": "leadership_request"},
            "/opened_at": {"column": "Opened", "timezone": "America/Chicago"},
        }
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cases = list(escalint.read_table(frame, mapping))
    assert cases[0] == {"id": "A-1", "procedure": "leadership_request", "opened_at": "2026-04-11T08:00:00-05:00"}
    assert "opened_at" not in cases[1]
    assert any("happens twice in America/Chicago" in str(w.message) for w in caught)


def test_bad_mappings_and_missing_columns_are_value_errors():
    with pytest.raises(ValueError, match='did you mean "column"'):
        escalint.read_table(EXPORTS / "closings.csv", {"case": {"/id": {"colum": "Ticket"}}})
    with pytest.raises(ValueError, match='closest "Ticket"'):
        escalint.read_table(EXPORTS / "closings.csv", {"case": {"/id": "Tickt"}})
