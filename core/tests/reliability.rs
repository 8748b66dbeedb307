//! Issue 18's classes of fault, each with inputs of its own: no policy that loads can make any
//! input panic; what the engine writes, it reads back.

use escalint::policy::RANGES;
use escalint::{parse_now, Engine};
use serde_json::{json, Value};

fn default_policy() -> Value {
    serde_json::from_str(escalint::policy::DEFAULT_POLICY_JSON).unwrap()
}

fn set(doc: &mut Value, field: &str, value: u64) {
    let (group, name) = field.split_once('.').unwrap();
    doc[group][name] = json!(value);
}

/// Cases of every procedure with events, opened at the calendar's edges (years 1 and 9999).
fn edge_cases() -> Vec<String> {
    let mut cases = Vec::new();
    for (opened, later) in [
        ("0001-01-01T00:00:00+14:00", "0001-01-01T00:05:00+14:00"),
        ("9999-12-31T23:00:00-12:00", "9999-12-31T23:30:00-12:00"),
    ] {
        for procedure in
            ["field_management_support", "installs_escalation", "area_manager_exception", "leadership_request"]
        {
            cases.push(
                json!({
                    "id": format!("EDGE-{procedure}"), "procedure": procedure, "opened_at": opened, "channel": "phone",
                    "order": {"id": "O-1"}, "escalation": {"damage_claim": false},
                    "customer": {"first_name": "A", "last_name": "B", "phone": "404-555-0100"},
                    "events": [
                        {"at": later, "type": "call", "party": "servicer", "outcome": "no_answer"},
                        {"at": later, "type": "call", "party": "customer", "outcome": "no_answer"},
                        {"at": later, "type": "follow_up_offered", "accepted": true},
                        {"at": later, "type": "callback_set", "callback_at": later},
                        {"at": later, "type": "update"},
                        {"at": later, "type": "work_started"}
                    ]
                })
                .to_string(),
            );
        }
    }
    cases
}

#[test]
fn every_threshold_and_limit_outside_its_range_is_refused_with_the_field_named() {
    for range in RANGES {
        let mut too_big = default_policy();
        set(&mut too_big, range.field, range.max + 1);
        let err = Engine::from_policy_json(&too_big.to_string()).unwrap_err().to_string();
        assert!(err.contains(range.field), "{err}");
        assert!(err.contains(&format!("the closest valid value is {}", range.max)), "{err}");
        if range.min > 0 {
            let mut too_small = default_policy();
            set(&mut too_small, range.field, range.min - 1);
            let err = Engine::from_policy_json(&too_small.to_string()).unwrap_err().to_string();
            assert!(err.contains(range.field) && err.contains(&format!("is {}", range.min)), "{err}");
        }
    }
    // The largest number the field's type holds (which once loaded and overflowed the date
    // arithmetic), and one too big even for the type, are refused by the field's name too.
    let mut doc = default_policy();
    doc["thresholds"]["customer_update_minutes"] = json!(u32::MAX);
    let err = Engine::from_policy_json(&doc.to_string()).unwrap_err().to_string();
    assert!(
        err.contains("thresholds.customer_update_minutes") && err.contains("closest valid value is 10080"),
        "{err}"
    );
    let mut doc = default_policy();
    doc["thresholds"]["update_interval_hours"] = json!(1u64 << 33);
    assert!(Engine::from_policy_json(&doc.to_string()).unwrap_err().to_string().contains("update_interval_hours"));
}

#[test]
fn a_policy_at_the_edge_of_every_range_answers_every_case_at_the_edge_of_the_calendar() {
    for at_max in [true, false] {
        let mut doc = default_policy();
        for range in RANGES.iter().filter(|r| r.field.starts_with("thresholds.")) {
            set(&mut doc, range.field, if at_max { range.max } else { range.min });
        }
        let engine = Engine::from_policy_json(&doc.to_string()).expect("a policy inside every range loads");
        for now in
            [None, Some(parse_now("0001-01-02T00:00:00Z").unwrap()), Some(parse_now("9999-12-31T23:59:59Z").unwrap())]
        {
            for case in edge_cases() {
                // Each answer comes back (the policy's numbers reach the deadlines of every rule).
                let report = engine.validate(&case, now);
                serde_json::from_str::<Value>(&report.to_json()).unwrap();
                let steps = engine.next_steps(&case, now).to_json();
                serde_json::from_str::<Value>(&steps).unwrap();
                engine.can_close(&case, None, now).to_json();
            }
        }
    }
}

#[test]
fn a_due_by_past_year_9999_is_read_back_as_now() {
    // Opened late on the calendar's last day: the 24-hour update falls in year 10000.
    let case = json!({"id": "LATE", "procedure": "installs_escalation", "opened_at": "9999-12-31T20:00:00-03:00",
        "events": [{"at": "9999-12-31T21:00:00-03:00", "type": "update"}]})
    .to_string();
    let engine = Engine::new();
    let steps: Value = serde_json::from_str(&engine.next_steps(&case, None).to_json()).unwrap();
    let dues: Vec<&str> = steps["steps"].as_array().unwrap().iter().filter_map(|s| s["due_by"].as_str()).collect();
    assert!(dues.iter().any(|d| d.starts_with("+10000-")), "{steps}");
    for due in dues {
        let now = parse_now(due).unwrap_or_else(|e| panic!("{due}: {e}"));
        assert_eq!(escalint::time::format_timestamp(&now), due);
    }
}

mod layouts {
    use escalint::stream::{CaseReader, Layout, Piece};

    fn case(i: usize) -> String {
        format!(
            r#"{{"id":"C-{i}","procedure":"installs_escalation","opened_at":"2026-10-0{}T08:00:00Z","events":[{{"at":"2026-10-09T09:00:00Z","type":"update"}}]}}"#,
            1 + i % 9
        )
    }

    fn pieces(text: &str, layout: Layout) -> Vec<Piece> {
        CaseReader::with_layout(text.as_bytes(), 1 << 20, layout).map(Result::unwrap).collect()
    }

    fn messages(pieces: &[Piece]) -> Vec<String> {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Malformed { violation, .. } => Some(violation.message.clone()),
                Piece::Case { .. } => None,
            })
            .collect()
    }

    #[test]
    fn json_lines_whose_first_case_is_a_list_are_read_line_by_line() {
        for first in [r#"["C-0", {"id": "x"}]"#, "[]", r#"[{"id":"a"},{"id":"b"},{"id":"c"}]"#, "[1, 2"] {
            let lines: Vec<String> = std::iter::once(first.to_string()).chain((1..33).map(case)).collect();
            let text = lines.join("\n") + "\n";
            assert_eq!(pieces(&text, Layout::Detect).len(), 33, "{first}");
            assert_eq!(pieces(&text, Layout::Lines).len(), 33, "{first}");
        }
        // The same first line alone is an array (one line, nothing after it); so is a pretty one.
        assert_eq!(pieces(r#"[{"id":"a"},{"id":"b"},{"id":"c"}]"#, Layout::Detect).len(), 3);
        assert_eq!(pieces("[\n  {\"id\": \"a\"},\n  {\"id\": \"b\"}\n]\n", Layout::Detect).len(), 2);
        // A .jsonl file is JSON Lines, whatever its first line holds.
        assert_eq!(pieces("[{\"id\":\"a\"},{\"id\":\"b\"}]\n", Layout::Lines).len(), 1);
        assert_eq!(Layout::of_path("x/h.NDJSON".as_ref()), Layout::Lines);
        assert_eq!(Layout::of_path("x/h.json".as_ref()), Layout::Detect);
    }

    /// An array of `n` cases, one per line or pretty-printed, with case `bad` replaced.
    fn array(n: usize, bad: usize, broken: &str, pretty: bool) -> String {
        let cases: Vec<String> = (0..n)
            .map(|i| {
                let text = if i == bad { broken.to_string() } else { case(i) };
                if pretty {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
                    if v.is_null() {
                        format!("  {text}")
                    } else {
                        serde_json::to_string_pretty(&v)
                            .unwrap()
                            .lines()
                            .map(|l| format!("  {l}\n"))
                            .collect::<String>()
                            .trim_end()
                            .to_string()
                    }
                } else {
                    text
                }
            })
            .collect();
        format!("[\n{}\n]\n", cases.join(",\n"))
    }

    #[test]
    fn a_broken_case_in_an_array_is_one_report_and_the_cases_after_it_are_read() {
        let broken = [
            r#"{"id":"B","events":[{"at":"2026-10-09T09:00:00Z"}}"#, // ] missing: } closes [
            r#"{"id":"B","escalation":{"notes":"x"}"#,               // the case's } missing
            r#"{"id":"B,"procedure":"installs_escalation"}"#,        // a quote missing
            r#"{"id":"B","notes":"unclosed}"#,                       // a string not closed
        ];
        for pretty in [false, true] {
            for text in broken {
                for bad in [0, 7, 299] {
                    let got = pieces(&array(300, bad, text, pretty), Layout::Detect);
                    let lost = messages(&got);
                    assert_eq!(got.len(), 300, "{text} at {bad}, pretty {pretty}: {lost:?}");
                    assert!(lost.len() == 1 && lost[0].contains("broken"), "{text} at {bad}: {lost:?}");
                }
            }
        }
    }

    #[test]
    fn a_broken_value_among_pretty_values_is_one_report() {
        let values: Vec<String> = (0..50)
            .map(|i| match i {
                20 => "{\n  \"id\": \"B\",\n  \"x\": [1, 2}\n}".to_string(),
                _ => {
                    serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&case(i)).unwrap()).unwrap()
                }
            })
            .collect();
        let got = pieces(&values.join("\n"), Layout::Detect);
        assert_eq!(got.len(), 50, "{:?}", messages(&got));
    }

    #[test]
    fn when_no_case_follows_a_break_the_loss_is_counted() {
        // One line: nothing to resynchronise on. The report says how many bytes are not read.
        let text = r#"[{"id":"a"}, {"id":"b", "x": [}, {"id":"c"}, {"id":"d"}]"#;
        let got = pieces(&format!("{text}\n"), Layout::Detect);
        let lost = messages(&got);
        assert_eq!(got.len(), 2, "{lost:?}");
        assert!(lost[0].contains("the remaining 26 bytes (lines 1-1) are not read"), "{lost:?}");
    }
}
