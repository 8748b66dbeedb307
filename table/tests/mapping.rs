//! Mapping rows to cases: values, types, times and their zones, events, and what is reported.

use escalint_table::{CaseRows, EventIndex, Mapping, Row, TableError};
use serde_json::json;

fn map(toml: &str) -> Mapping {
    Mapping::from_toml(toml).unwrap_or_else(|e| panic!("{e}"))
}

fn read(mapping: &Mapping, csv: &str) -> Vec<Row> {
    CaseRows::new(csv.as_bytes(), mapping, "t.csv", None).unwrap().map(Result::unwrap).collect()
}

fn messages(row: &Row) -> Vec<String> {
    row.problems.iter().map(|p| format!("{} {}: {}", p.rule, p.path, p.message)).collect()
}

#[test]
fn values_types_splits_defaults_and_constants() {
    let m = map(r#"
        [case]
        "/id" = "Id"
        "/order/missed_appointments" = "Missed"
        "/escalation/damage_claim" = "Damage"
        "/sensitive_qualifiers" = { column = "Flags", split = ";", map = { "BBB" = "bbb_complaint", "Lawyer" = "lawyer" } }
        "/priority" = { column = "Prio", default = "normal" }
        "/schema_version" = { value = 1 }
        "/order/scheduled_for" = { column = "Sched", format = "%m/%d/%Y" }
    "#);
    let rows = read(&m, "Id,Missed,Damage,Flags,Prio,Sched\nA,2,yes,BBB; lawyer,,11/21/2026\nB,,,,highly_escalated,\n");
    assert_eq!(
        rows[0].case,
        json!({"id": "A", "order": {"missed_appointments": 2, "scheduled_for": "2026-11-21"}, "escalation": {"damage_claim": true},
               "sensitive_qualifiers": ["bbb_complaint", "lawyer"], "priority": "normal", "schema_version": 1})
    );
    assert!(rows[0].problems.is_empty());
    // Empty cells are absent fields.
    assert_eq!(rows[1].case, json!({"id": "B", "priority": "highly_escalated", "schema_version": 1}));
}

#[test]
fn cells_that_do_not_read_are_reported_with_line_and_column() {
    let m = map(r#"
        [case]
        "/id" = "Id"
        "/order/missed_appointments" = "Missed"
        "/escalation/damage_claim" = "Damage"
        "/order/scheduled_for" = { column = "Sched", format = "%m/%d/%Y" }
    "#);
    let rows = read(&m, "Id,Missed,Damage,Sched\nA,two,maybe,2026-11-21\n");
    assert_eq!(rows[0].case, json!({"id": "A"}), "what does not read is left out, never guessed");
    assert_eq!(
        messages(&rows[0]),
        [
            "REC003 /escalation/damage_claim: t.csv line 2, column \"Damage\": \"maybe\" is not a yes/no value",
            "REC003 /order/missed_appointments: t.csv line 2, column \"Missed\": \"two\" is not a whole number",
            "REC003 /order/scheduled_for: t.csv line 2, column \"Sched\": \"2026-11-21\" does not match the format \"%m/%d/%Y\" (input is out of range)",
        ]
    );
}

#[test]
fn naive_local_times_become_aware_and_daylight_saving_edges_are_reported() {
    let m = map(r#"
        [case]
        "/id" = "Id"
        "/opened_at" = { column = "Opened", format = "%Y-%m-%d %H:%M", timezone_column = "TZ" }
        "/closing/closed_at" = { column = "Closed", timezone = "America/Chicago" }
    "#);
    let rows = read(
        &m,
        "Id,Opened,TZ,Closed\n\
         A,2026-04-11 08:00,America/Chicago,2026-04-12T09:30:00\n\
         B,2026-03-08 02:30,America/New_York,\n\
         C,2026-11-01 01:30,America/Chicago,\n\
         D,2026-07-01 12:00,Europe/Berlin,2026-07-02T10:00:00+02:00\n\
         E,2026-07-01 12:00,America/Chicgo,\n\
         F,2026-07-01 12:00,,\n",
    );
    assert_eq!(rows[0].case["opened_at"], "2026-04-11T08:00:00-05:00");
    assert_eq!(rows[0].case["closing"]["closed_at"], "2026-04-12T09:30:00-05:00", "ISO local time without format");
    assert_eq!(rows[3].case["opened_at"], "2026-07-01T12:00:00+02:00");
    assert_eq!(rows[3].case["closing"]["closed_at"], "2026-07-02T10:00:00+02:00", "an offset is kept as written");
    let m = |i: usize| messages(&rows[i]).join("\n");
    assert!(m(1).contains("\"2026-03-08 02:30\" does not exist in America/New_York"), "{}", m(1));
    assert!(
        m(2).contains("happens twice in America/Chicago")
            && m(2).contains("2026-11-01T01:30:00-05:00 or 2026-11-01T01:30:00-06:00"),
        "{}",
        m(2)
    );
    assert!(m(4).contains("closest \"America/Chicago\""), "{}", m(4));
    assert!(m(5).contains("the time-zone column \"TZ\" is empty"), "{}", m(5));
    assert!(rows[1].case.get("opened_at").is_none() && rows[2].case.get("opened_at").is_none());
}

#[test]
fn a_naive_time_without_a_zone_is_reported_when_a_format_says_it_is_naive() {
    let m = map("[case]\n\"/id\" = \"Id\"\n\"/opened_at\" = { column = \"O\", format = \"%d.%m.%Y %H:%M\" }");
    let rows = read(&m, "Id,O\nA,11.04.2026 08:00\n");
    assert!(messages(&rows[0])[0].contains("a local time without an offset, and /opened_at has no time zone"));
}

#[test]
fn events_are_gathered_in_any_order_and_orphans_are_named() {
    let m = map(r#"
        [case]
        "/id" = "Ticket"
        [events]
        case = "Ticket"
        "/at" = { column = "When", timezone = "UTC" }
        "/type" = "Event"
        "/outcome" = { column = "Outcome", map = { "NA" = "no_answer" } }
    "#);
    let events = "Ticket,When,Event,Outcome\nB,2026-11-20 10:00,call,NA\nA,2026-11-20 09:00,note,\nZ,2026-11-20 09:00,note,\nB,2026-11-20 08:00,call,Nope\n";
    let index = EventIndex::read(events.as_bytes(), &m, "ev.csv").unwrap();
    let mut reader = CaseRows::new("Ticket\nA\nB\nC\n".as_bytes(), &m, "cases.csv", Some(index)).unwrap();
    let rows: Vec<Row> = reader.by_ref().map(Result::unwrap).collect();
    assert_eq!(rows[0].case["events"], json!([{"at": "2026-11-20T09:00:00+00:00", "type": "note"}]));
    assert_eq!(
        rows[1].case["events"],
        json!([{"at": "2026-11-20T10:00:00+00:00", "type": "call", "outcome": "no_answer"},
               {"at": "2026-11-20T08:00:00+00:00", "type": "call"}])
    );
    assert_eq!(
        messages(&rows[1]),
        ["REC003 /events/1/outcome: ev.csv line 5, column \"Outcome\": \"Nope\" is not in the map (keys: NA)"]
    );
    assert!(rows[2].case.get("events").is_none());
    let orphans = reader.events().unwrap().orphans();
    assert_eq!(orphans.len(), 1);
    assert_eq!((orphans[0].id.as_str(), orphans[0].lines.as_slice()), ("Z", &[4u64][..]));
    assert!(orphans[0]
        .problem("ev.csv")
        .message
        .contains("ev.csv line(s) 4: 1 event(s) name case \"Z\", which is not in the cases table"));
}

#[test]
fn a_mapped_column_missing_from_the_header_is_an_error_with_the_closest_name() {
    let m = map("[case]\n\"/id\" = \"Tickt\"");
    let Err(e) = CaseRows::new("Ticket,Type\nA,B\n".as_bytes(), &m, "t.csv", None) else { panic!("read") };
    assert!(matches!(e, TableError::MissingColumn { .. }));
    assert_eq!(
        e.to_string(),
        "t.csv: column \"Tickt\" (mapped to /id) is not in the header; closest \"Ticket\"; the header has: Ticket, Type"
    );
}

#[test]
fn dialects_quoting_ragged_rows_and_no_header() {
    let m = map("[csv]\ndelimiter = \";\"\n[case]\n\"/id\" = \"Id\"\n\"/escalation/notes\" = \"Notes\"");
    let rows = read(&m, "\u{feff}Id;Notes\nA;\"one; two\nthree\"\nB;x;extra\nC;\"\"\"quoted\"\"\"\n");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].case["escalation"]["notes"], "one; two\nthree");
    assert_eq!(rows[1].line, 4, "the line the row starts on");
    assert_eq!(messages(&rows[1]), ["REC001 : t.csv line 4 has 3 cells; the header has 2"]);
    assert_eq!(rows[2].case["escalation"]["notes"], "\"quoted\"");
    let m = map("[csv]\nheader = false\n[case]\n\"/id\" = \"2\"");
    let rows = read(&m, "x,A\ny,B\n");
    assert_eq!((rows.len(), rows[0].line, rows[1].case["id"].as_str()), (2, 1, Some("B")));
}
