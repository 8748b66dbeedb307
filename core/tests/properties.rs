//! Properties that hold for every case: labels round-trip, input order of events does not
//! matter, and an event no rule of the procedure reads does not change the verdict.

use escalint::codes::{CallOutcome, EventType, Party};
use escalint::labels::key;
use escalint::{parse_now, Engine, Policy};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A plausible case of a procedure: mostly valid, with events drawn from what agents do.
fn case_strategy() -> impl Strategy<Value = Value> {
    let procedure = prop_oneof![
        Just("field_management_support"),
        Just("installs_escalation"),
        Just("area_manager_exception"),
        Just("leadership_request")
    ];
    let event = (0i64..72 * 60, 0usize..12, 0usize..10, 0usize..5, any::<bool>()).prop_map(|(minutes, kind, party, outcome, flag)| {
        let at = (parse_now("2026-11-20T08:00:00-05:00").unwrap() + chrono::Duration::minutes(minutes)).to_rfc3339();
        let party = Party::ALL[party % Party::ALL.len()].code();
        let outcome = CallOutcome::ALL[outcome % CallOutcome::ALL.len()].code();
        match kind {
            0..=2 => json!({"at": at, "type": "call", "party": party, "outcome": outcome, "direction": if flag { "outbound" } else { "inbound" }}),
            3 => json!({"at": at, "type": "email", "party": party, "documented": flag}),
            4 => json!({"at": at, "type": "note", "visibility": if flag { "public_with_email" } else { "internal" }, "on": "service_job"}),
            5 => json!({"at": at, "type": "update"}),
            6 => json!({"at": at, "type": "callback_set", "callback_at": at}),
            7 => json!({"at": at, "type": "follow_up_offered", "accepted": flag}),
            8 => json!({"at": at, "type": "transfer_attempt", "target": if flag { "resolution_specialist" } else { "team_supervisor" }, "waited_seconds": minutes % 60, "available": flag}),
            9 => json!({"at": at, "type": "exception_opened", "code": "NCNS", "directed_to": "area_manager"}),
            10 => json!({"at": at, "type": "work_started"}),
            _ => json!({"at": at, "type": "job_completed"}),
        }
    });
    (procedure, prop::collection::vec(event, 0..10), any::<bool>(), any::<bool>()).prop_map(|(procedure, events, closed, mm)| {
        let mut case = json!({
            "id": "PROP-1", "procedure": procedure, "opened_at": "2026-11-20T09:00:00-05:00",
            "timezone": "America/New_York", "channel": "phone",
            "customer": {"first_name": "Dana", "last_name": "Okafor", "phone": "404-555-0134"},
            "order": {"id": "ORD-1", "status": "scheduled", "scheduled_for": "2026-11-21", "servicer": {"a_number": "A1"}},
            "escalation": {"escalation_for": "Installs Inc.", "installer_a_number": "A1", "escalator_first_name": "Dana",
                           "escalator_last_name": "Okafor", "escalator_phone": "4045550134", "escalator_title": "Customer",
                           "ownership": "Install Support", "type": "Field Management Support",
                           "preferred_date": "2026-11-21", "reschedule_reason": "van broke down", "notes": "n"},
            "market_manager": if mm { json!({"name": "R. Alvarez"}) } else { json!({"name": null}) },
            "store_providers": {"primary": "A2", "secondary": "A3", "tertiary": "A4"},
            "events": events,
        });
        if closed {
            case["closing"] = json!({"closed_at": "2026-11-23T12:00:00-05:00", "closed_by": {"agent_id": "a", "role": "Resolution Care Back Office"},
                "basis": "resolved", "resolved_by": "INSTALLS Inc", "final_responsibility": "installation_company",
                "reason": "Technician-No-Call No-Show", "notes": "done"});
        }
        case
    })
}

/// What a report found, independent of where events sit in the input.
fn findings(report: &escalint::ValidationReport) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> =
        report.violations.iter().map(|v| (v.rule.to_string(), v.message.clone())).collect();
    found.sort();
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn events_shuffled_give_the_same_findings(case in case_strategy(), seed in any::<u64>()) {
        let engine = Engine::new();
        let now = Some(parse_now("2026-11-24T09:00:00-05:00").unwrap());
        let before = engine.validate(&case, now);
        let mut shuffled = case.clone();
        let events = shuffled["events"].as_array_mut().unwrap();
        // A deterministic permutation from the seed (no extra RNG crate needed here).
        let n = events.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) >> 33) as usize % (i + 1);
            events.swap(i, j);
        }
        let after = engine.validate(&shuffled, now);
        prop_assert_eq!(findings(&before), findings(&after));
        prop_assert_eq!(before.valid, after.valid);
    }

    #[test]
    fn an_event_no_rule_reads_changes_nothing(case in case_strategy()) {
        let engine = Engine::new();
        let now = Some(parse_now("2026-11-24T09:00:00-05:00").unwrap());
        let procedure = case["procedure"].as_str().unwrap();
        // An event type the procedure's rules do not read (and not an agent action).
        let unrelated = match procedure {
            "field_management_support" => json!({"at": "2026-11-21T10:00:00-05:00", "type": "admin_review", "emailed_area_manager": true}),
            _ => json!({"at": "2026-11-21T10:00:00-05:00", "type": "market_manager_response", "coverage_found": false}),
        };
        prop_assert!(!EventType::parse(unrelated["type"].as_str().unwrap()).unwrap().is_agent_action());
        let before = engine.validate(&case, now);
        let mut more = case.clone();
        more["events"].as_array_mut().unwrap().push(unrelated);
        let after = engine.validate(&more, now);
        prop_assert_eq!(before.to_json(), after.to_json());
    }

    #[test]
    fn labels_round_trip_through_their_codes(
        idx in 0usize..64,
        upper in any::<bool>(),
        dash in prop_oneof![Just(" - "), Just("–"), Just(" — "), Just("/"), Just("  ")],
        period in any::<bool>(),
    ) {
        let policy = Policy::embedded();
        let labels: Vec<(String, String)> = policy
            .parties
            .iter()
            .flat_map(|p| p.reasons.entries().iter().map(|e| (e.code.clone(), e.label.clone())))
            .chain(policy.exception_codes.entries().iter().map(|e| (e.code.clone(), e.label.clone())))
            .chain(policy.sensitive_qualifiers.entries().iter().map(|e| (e.code.clone(), e.label.clone())))
            .collect();
        let (code, label) = &labels[idx % labels.len()];
        // Mangle the label the way exports do: case, dashes, slashes, spacing, a final period.
        let mut mangled = label.replace(['-', '–', '—', '/'], dash);
        if upper { mangled = mangled.to_uppercase(); }
        if period { mangled.push('.'); }
        prop_assert_eq!(key(&mangled), key(label));
        prop_assert_eq!(key(code), key(code).to_lowercase());
        // The code itself is one of the keys it answers to.
        let found = policy.parties.iter().flat_map(|p| p.reasons.find(&mangled)).next()
            .or_else(|| policy.exception_codes.find(&mangled))
            .or_else(|| policy.sensitive_qualifiers.find(&mangled));
        prop_assert_eq!(found.map(|l| l.code.clone()), Some(code.clone()));
    }
}
