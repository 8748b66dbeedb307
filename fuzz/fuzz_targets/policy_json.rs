//! A policy, then cases with events judged under it: refused with an error or loaded whole,
//! never a panic; and no policy that loads can make any case panic (issue 18: thresholds at
//! the top of their ranges once overflowed the deadline arithmetic).
//!
//! Input starting with `#`: the embedded policy with every threshold and limit taken from the
//! bytes after it (4 little-endian bytes each, so the fuzzer reaches the ranges' edges and
//! beyond), and cases opened at a time also taken from the bytes (the calendar's edges too).
//! Anything else: arbitrary text as the policy, judged on the same cases.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const PROCEDURES: [&str; 4] =
    ["field_management_support", "installs_escalation", "area_manager_exception", "leadership_request"];

/// Instants the cases use: the calendar's edges, DST changes, ordinary days.
const TIMES: [&str; 8] = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T20:00:00Z",
    "2026-03-08T01:59:00-05:00",
    "2026-11-01T01:30:00-04:00",
    "2026-11-20T09:15:00-05:00",
    "1970-01-01T00:00:00Z",
    "2026-12-31T23:59:00+05:45",
];

fn numbers(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks(4).map(|c| c.iter().rev().fold(0u32, |n, b| n << 8 | u32::from(*b)))
}

/// A case of every procedure, its events at times chosen by `pick`.
fn cases(pick: &[u8]) -> Vec<String> {
    let at = |i: usize| TIMES[usize::from(pick.get(i).copied().unwrap_or(i as u8)) % TIMES.len()];
    PROCEDURES
        .iter()
        .enumerate()
        .map(|(p, procedure)| {
            json!({
                "id": format!("F-{p}"), "procedure": procedure, "opened_at": at(p), "channel": "phone",
                "timezone": if pick.get(9).is_some_and(|b| b & 1 == 1) { "America/New_York" } else { "UTC" },
                "order": {"id": "O-1", "status": "prescheduled_rejected"},
                "escalation": {"damage_claim": pick.get(10).is_some_and(|b| b & 1 == 1)},
                "customer": {"first_name": "A", "last_name": "B", "phone": "404-555-0100"},
                "events": [
                    {"at": at(4), "type": "call", "party": "servicer", "outcome": "no_answer"},
                    {"at": at(5), "type": "call", "party": "customer", "outcome": "reached", "direction": "inbound"},
                    {"at": at(6), "type": "follow_up_offered", "accepted": true},
                    {"at": at(7), "type": "callback_set", "callback_at": at(8)},
                    {"at": at(5), "type": "update"},
                    {"at": at(6), "type": "work_started"},
                    {"at": at(7), "type": "transfer_attempt", "target": "team_supervisor", "waited_seconds": 4_000_000_000u64, "available": false}
                ],
                "closing": if pick.get(11).is_some_and(|b| b & 1 == 1) { json!({"closed_at": at(8), "basis": "no_contact"}) } else { Value::Null }
            })
            .to_string()
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let (text, pick) = if let Some(bytes) = data.strip_prefix(b"#") {
        let mut doc: Value = serde_json::from_str(escalint::policy::DEFAULT_POLICY_JSON).unwrap();
        let mut values = numbers(bytes);
        for range in escalint::policy::RANGES {
            let (group, name) = range.field.split_once('.').unwrap();
            if let Some(v) = values.next() {
                doc[group][name] = json!(v);
            }
        }
        (doc.to_string(), bytes.get(4 * escalint::policy::RANGES.len()..).unwrap_or(&[]).to_vec())
    } else {
        let Ok(text) = std::str::from_utf8(data) else { return };
        (text.to_string(), data.iter().rev().take(12).copied().collect())
    };
    let Ok(engine) = escalint::Engine::from_policy_json(&text) else { return };
    for case in cases(&pick) {
        for now in [None, escalint::parse_now(TIMES[usize::from(pick.first().copied().unwrap_or(0)) % TIMES.len()]).ok()] {
            let _ = engine.validate(case.as_str(), now).to_json();
            let _ = engine.next_steps(case.as_str(), now).to_json();
            let _ = engine.can_close(case.as_str(), None, now).to_json();
        }
    }
});
