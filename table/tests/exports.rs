//! The example exports (examples/exports/) read through their mappings and judged.

use std::fs::File;
use std::path::PathBuf;

use escalint::Engine;
use escalint_table::{CaseRows, EventIndex, Mapping, Row};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/exports").join(name)
}

fn mapping(name: &str) -> Mapping {
    Mapping::from_toml(&std::fs::read_to_string(example(name)).unwrap()).unwrap()
}

fn rows(map: &str, cases: &str, events: Option<&str>) -> Vec<Row> {
    let m = mapping(map);
    let index = events.map(|e| EventIndex::read(File::open(example(e)).unwrap(), &m, e).unwrap());
    CaseRows::new(File::open(example(cases)).unwrap(), &m, cases, index).unwrap().map(Result::unwrap).collect()
}

/// The rules each row breaks (its mapping problems and the engine's findings).
fn findings(rows: &[Row]) -> Vec<(String, Vec<String>)> {
    let engine = Engine::new();
    rows.iter()
        .map(|row| {
            let report = engine.validate(&row.case, None);
            let mut rules: Vec<String> =
                report.violations.iter().chain(&row.problems).map(|v| v.rule.to_string()).collect();
            rules.sort();
            rules.dedup();
            (row.case["id"].as_str().unwrap_or("").to_string(), rules)
        })
        .collect()
}

fn of<'a>(all: &'a [(String, Vec<String>)], id: &str) -> &'a [String] {
    &all.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("no case {id}")).1
}

#[test]
fn closings_export_one_case_per_row_with_its_closing_findings() {
    let rows = rows("closings.map.toml", "closings.csv", None);
    assert_eq!(rows.len(), 10, "one case per row, the header is not one");
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), (2..=11).collect::<Vec<u64>>());
    let all = findings(&rows);
    // The rows that break the closing taxonomy, and only those, have CL findings.
    let cl = |id: &str| of(&all, id).iter().filter(|r| r.starts_with("CL")).cloned().collect::<Vec<_>>();
    for (id, expected) in [
        ("ESC-26-1001", vec![]),
        ("ESC-26-1002", vec![]),
        ("ESC-26-1003", vec![]),
        ("ESC-26-1004", vec!["CL005"]),
        ("ESC-26-1005", vec!["CL001"]),
        ("ESC-26-1006", vec!["CL006"]),
        ("ESC-26-1007", vec![]),
        ("ESC-26-1009", vec!["CL007"]),
        ("ESC-26-1010", vec!["CL003"]),
    ] {
        assert_eq!(cl(id), expected, "{id}");
    }
    // A closing-only export has no events: the timeliness rules fire (hence --select CL).
    assert!(of(&all, "ESC-26-1001").contains(&"TM001".to_string()));
    // Naive local times in three zones, two of them on a daylight-saving day.
    let opened = |id: &str| rows.iter().find(|r| r.case["id"] == id).unwrap().case["opened_at"].clone();
    assert_eq!(opened("ESC-26-1001"), "2026-03-02T09:15:00-05:00");
    assert_eq!(opened("ESC-26-1002"), "2026-03-08T10:00:00-05:00", "Chicago on the day clocks go forward");
    assert_eq!(opened("ESC-26-1003"), "2026-11-01T09:00:00-08:00", "Los Angeles on the day clocks go back");
    // The unmapped type is reported with its line, column and the closest key.
    let row = rows.iter().find(|r| r.case["id"] == "ESC-26-1008").unwrap();
    let p = &row.problems[0];
    assert_eq!((p.rule, p.path.as_str()), ("REC003", "/procedure"));
    assert!(p.message.starts_with("closings.csv line 9, column \"Type\": \"Instal\""), "{}", p.message);
    assert_eq!(p.hint.as_deref(), Some("closest key: \"Install\""));
}

#[test]
fn tickets_export_gathers_events_from_an_unsorted_table() {
    let rows = rows("tickets.map.toml", "tickets.csv", Some("ticket-events.csv"));
    assert_eq!(rows.len(), 5);
    let events = |id: &str| rows.iter().find(|r| r.case["id"] == id).unwrap().case["events"].as_array().unwrap().len();
    assert_eq!(
        [events("T-2001"), events("T-2002"), events("T-2003"), events("T-2004"), events("T-2005")],
        [4, 3, 3, 3, 2]
    );
    let all = findings(&rows);
    assert_eq!(of(&all, "T-2001"), [] as [String; 0]);
    assert_eq!(of(&all, "T-2002"), ["TM002"]);
    assert_eq!(of(&all, "T-2003"), ["TM001", "TM002"]);
    assert_eq!(of(&all, "T-2004"), [] as [String; 0], "three unanswered calls: a valid no-contact close");
    assert_eq!(of(&all, "T-2005"), ["CL002"], "two attempts are not enough");
}
