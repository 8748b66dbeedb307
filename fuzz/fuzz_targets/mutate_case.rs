//! Structured fuzzing: start from a valid case of each procedure and apply mutations chosen
//! by the fuzzer's bytes (delete a key, change a value's type, move a timestamp, duplicate
//! or drop an event, swap codes). Every answer must come back, deterministically.
#![no_main]
use escalint::Proposal;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

static ENGINE: OnceLock<escalint::Engine> = OnceLock::new();

const SEEDS: [&str; 4] = [
    r#"{"id":"F1","procedure":"field_management_support","opened_at":"2026-11-20T09:15:00-05:00","timezone":"America/New_York","customer":{"first_name":"Dana","last_name":"Okafor","phone":"(404) 555-0134"},"order":{"id":"O1","status":"prescheduled_rejected","scheduled_for":"2026-11-21","servicer":{"a_number":"A104233"}},"escalation":{"escalation_for":"Installs Inc.","installer_a_number":"A104233","escalator_first_name":"Dana","escalator_last_name":"Okafor","escalator_phone":"404-555-0134","escalator_title":"Customer","ownership":"Install Support","type":"Field Management Support","preferred_date":"2026-11-21","reschedule_reason":"van","notes":"n"},"market_manager":{"name":null},"store_providers":{"primary":"A1","secondary":"A2","tertiary":"A3"},"events":[{"at":"2026-11-20T09:02:00-05:00","type":"reschedule_reason_determined"},{"at":"2026-11-20T09:06:00-05:00","type":"reschedule_offered","dates":["2026-11-25"],"accepted_date":null},{"at":"2026-11-20T09:08:00-05:00","type":"callback_set","callback_at":"2026-11-20T13:00:00-05:00"},{"at":"2026-11-20T09:10:00-05:00","type":"status_changed","to":"prescheduled_rejected"},{"at":"2026-11-20T09:20:00-05:00","type":"call","party":"provider_primary","outcome":"no_answer"},{"at":"2026-11-20T09:25:00-05:00","type":"call","party":"customer","outcome":"reached"}]}"#,
    r#"{"id":"I1","procedure":"installs_escalation","opened_at":"2026-03-08T01:15:00-05:00","timezone":"America/New_York","order":{"id":"O2"},"escalation":{"damage_claim":true},"events":[{"at":"2026-03-08T03:30:00-04:00","type":"update"},{"at":"2026-03-09T03:00:00-04:00","type":"call","party":"customer","outcome":"no_answer"}],"closing":{"closed_at":"2026-03-10T10:00:00-04:00","closed_by":{"role":"Resolution Care Back Office"},"basis":"no_contact","resolved_by":"INSTALLS Inc","final_responsibility":"customer","reason":"Installs Insurance claim denied – Damage Claims Only","notes":"x"}}"#,
    r#"{"id":"A1","procedure":"area_manager_exception","opened_at":"2026-11-20T09:15:00-06:00","order":{"id":"O3"},"events":[{"at":"2026-11-20T09:30:00-06:00","type":"call","party":"servicer","outcome":"voicemail"},{"at":"2026-11-20T09:32:00-06:00","type":"note","visibility":"internal","on":"service_job"},{"at":"2026-11-21T10:00:00-06:00","type":"call","party":"customer","direction":"inbound","outcome":"reached"},{"at":"2026-11-21T10:05:00-06:00","type":"call","party":"servicer","outcome":"no_answer"},{"at":"2026-11-21T10:10:00-06:00","type":"exception_opened","code":"SP UNRESPONSIVE","directed_to":"area_manager"}]}"#,
    r#"{"id":"L1","procedure":"leadership_request","channel":"phone","opened_at":"2026-11-20T09:15:00Z","sensitive_qualifiers":["BBB complaint"],"events":[{"at":"2026-11-20T09:16:00Z","type":"follow_up_offered","accepted":false},{"at":"2026-11-20T09:17:00Z","type":"transfer_attempt","target":"resolution_specialist","waited_seconds":31,"available":false},{"at":"2026-11-20T09:18:00Z","type":"transfer_attempt","target":"team_supervisor","waited_seconds":12,"available":true,"accepted":true}]}"#,
];

fn mutate(value: &mut Value, op: u8, arg: u8) {
    let replacement = match arg % 8 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!("2026-02-30T25:61:00Z"),
        4 => json!([]),
        5 => json!({}),
        6 => json!("Opened in error"),
        _ => json!("2026-11-08T01:30:00-05:00"),
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(arg as usize % map.len()).cloned().unwrap_or_default();
            match op % 4 {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert(key, replacement);
                }
                _ => {
                    if let Some(child) = map.get_mut(&key) {
                        mutate(child, op / 4, arg.rotate_left(3));
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = arg as usize % items.len();
            match op % 4 {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let copy = items[i].clone();
                    items.push(copy);
                }
                2 => items.swap(0, i),
                _ => mutate(&mut items[i], op / 4, arg.rotate_left(3)),
            }
        }
        other => *other = replacement,
    }
}

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(escalint::Engine::new);
    let Some((&which, ops)) = data.split_first() else { return };
    let mut case: Value = serde_json::from_str(SEEDS[which as usize % SEEDS.len()]).expect("seed");
    for pair in ops.chunks(2).take(16) {
        mutate(&mut case, pair[0], *pair.get(1).unwrap_or(&0));
    }
    let now = escalint::parse_now("2026-11-23T12:00:00-05:00").ok();
    let first = engine.validate(&case, now).to_json();
    let again = engine.validate(case.to_string(), now).to_json();
    assert_eq!(first, again, "the value and text paths disagree");
    let _ = engine.next_steps(&case, now);
    let _ = engine.can_close(&case, case.get("closing").map(Proposal::from), now);
});
