//! Keys that look like a field but are not one (REC007). Unknown keys are ignored (exports
//! carry extra columns), but one that is a field's name written differently (`closedAt`,
//! `closed_by_rol`) or a field at the wrong level (a top-level `closed_at`, a flattened
//! `closed_by_role`) would be ignored *in place of* the field: the case is then judged without
//! it (closed cases judged open). Those are a warning naming the field they resemble.

use crate::catalogue::{RuleInfo, Scope};
use crate::json::{Json, Object};
use crate::report::{Severity, Violation};

/// The fields of one level of the record. `is_field` is a `match` on the names: nearly every
/// key of a case is a field and this test runs on every key of every object, and against
/// literals the compiler compares a short key as one or two integers.
struct Level {
    fields: &'static [&'static str],
    is_field: fn(&str) -> bool,
}

macro_rules! fields {
    ($($field:literal),* $(,)?) => {
        Level { fields: &[$($field),*], is_field: |key| matches!(key, $($field)|*) }
    };
}

pub static REC007: RuleInfo = RuleInfo {
    id: "REC007",
    severity: Severity::Warning,
    scope: Scope::All,
    title: "a key that is not a field resembles one, or is a field at the wrong level (ignored)",
    sop: "docs/format.md, Unknown keys",
    source: "One JSON object per case. Unknown keys are ignored (exports carry extra columns).",
    explanation: "An unknown key is ignored, so a field written under another spelling (closedAt, closed_by_rol) or at the wrong level (a top-level closed_at or closed_by_role instead of closing.closed_at and closing.closed_by.role) silently leaves the field absent: a closed case is then judged as open. Such a key is a warning naming the field it resembles: its spelling folded for case and separators equals the field's, it is one edit away (two for long names), or it is a nested field's name, alone or prefixed with its parents'. Other unknown keys stay silent.",
};

const TOP: Level = fields![
    "schema_version",
    "id",
    "procedure",
    "opened_at",
    "timezone",
    "channel",
    "priority",
    "customer",
    "order",
    "escalation",
    "market_manager",
    "store_providers",
    "sensitive_qualifiers",
    "events",
    "closing",
];
const CUSTOMER: Level = fields!["first_name", "last_name", "phone", "zip"];
const ORDER: Level =
    fields!["id", "status", "scheduled_for", "servicer", "selling_store", "missed_appointments", "completed_at"];
const SERVICER: Level = fields!["a_number", "name"];
const ESCALATION: Level = fields![
    "escalation_for",
    "installer_a_number",
    "escalator_first_name",
    "escalator_last_name",
    "escalator_phone",
    "escalator_title",
    "ownership",
    "type",
    "preferred_date",
    "reschedule_reason",
    "compensation_request",
    "damage_claim",
    "notes",
];
const MARKET_MANAGER: Level = fields!["name", "email", "region"];
const STORE_PROVIDERS: Level = fields!["primary", "secondary", "tertiary"];
const CLOSING: Level = fields![
    "closed_at",
    "closed_by",
    "escalation_id",
    "basis",
    "resolved_by",
    "final_responsibility",
    "reason",
    "notes"
];
const CLOSED_BY: Level = fields!["agent_id", "role"];
const EVENT: Level = fields![
    "at",
    "type",
    "by",
    "documented",
    "party",
    "outcome",
    "direction",
    "visibility",
    "on",
    "reason",
    "next_available_date",
    "dates",
    "accepted_date",
    "source",
    "callback_at",
    "to",
    "date",
    "coverage_found",
    "code",
    "directed_to",
    "risk",
    "emailed_area_manager",
    "accepted",
    "from",
    "target",
    "waited_seconds",
    "available",
    "qualifiers",
];

/// The nested objects of a case: the keys leading there from the top level, and their fields.
const NESTED: &[(&[&str], Level)] = &[
    (&["customer"], CUSTOMER),
    (&["order"], ORDER),
    (&["order", "servicer"], SERVICER),
    (&["escalation"], ESCALATION),
    (&["market_manager"], MARKET_MANAGER),
    (&["store_providers"], STORE_PROVIDERS),
    (&["closing"], CLOSING),
    (&["closing", "closed_by"], CLOSED_BY),
];

/// The JSON pointer of a nested level (its keys need no escaping).
fn pointer_of(path: &[&str]) -> String {
    path.iter().map(|key| format!("/{key}")).collect()
}

/// The top-level fields holding a nested level (NESTED's first keys, and the events): where
/// one pass over the top level keeps their values.
fn holder(key: &str) -> Option<usize> {
    Some(match key {
        "customer" => 0,
        "order" => 1,
        "escalation" => 2,
        "market_manager" => 3,
        "store_providers" => 4,
        "closing" => 5,
        "events" => 6,
        _ => return None,
    })
}

/// Warn about the keys of a case that resemble its fields.
pub(crate) fn check(case: &Object<'_>, out: &mut Vec<Violation>) {
    // One pass over the top level: its near-misses, and the values of the fields that hold a
    // level (a repeated key: the last, as everywhere), warned about after, in NESTED's order.
    let mut held: [Option<&Json<'_>>; 7] = [None; 7];
    for (key, value) in case.iter() {
        if let Some(i) = holder(key) {
            held[i] = Some(value);
        } else if !(TOP.is_field)(key) {
            top_level(key, out);
        }
    }
    let value_of = |field: &str| holder(field).and_then(|i| held[i]);
    for (path, fields) in NESTED {
        let mut obj = value_of(path[0]).and_then(Json::as_object);
        for key in &path[1..] {
            obj = obj.and_then(|o| o.get(key)).and_then(Json::as_object);
        }
        if let Some(obj) = obj {
            level(obj, || pointer_of(path), fields, out);
        }
    }
    if let Some(Json::Array(events)) = value_of("events") {
        for (i, event) in events.iter().enumerate() {
            if let Some(obj) = event.as_object() {
                level(obj, || format!("/events/{i}"), &EVENT, out);
            }
        }
    }
}

/// The keys of one object that are not its fields but resemble one. The pointer is written
/// only for a warning (an event's is formatted, and events are most of a case's objects).
fn level(obj: &Object<'_>, pointer: impl Fn() -> String, fields: &Level, out: &mut Vec<Violation>) {
    for (key, _) in obj.iter() {
        if (fields.is_field)(key) {
            continue;
        }
        if let Some(field) = fields.fields.iter().find(|f| resembles(key, f)) {
            let pointer = pointer();
            out.push(
                Violation::new(
                    &REC007,
                    format!("{pointer}/{}", escape(key)),
                    format!("\"{key}\" is not a field of {pointer} and is ignored; it resembles \"{field}\""),
                )
                .with_hint(format!("rename it {pointer}/{field}")),
            );
        }
    }
}

/// A top-level key: a nested field at the wrong level, or a near-miss of a top-level field.
fn top_level(key: &str, out: &mut Vec<Violation>) {
    let folded = fold(key);
    let mut homes: Vec<String> = Vec::new();
    for (parents, fields) in NESTED {
        // `closed_at`, `closed_by_role`, `closing_reason`, `order_status`: the field's name,
        // alone or after its parents' names.
        for field in fields.fields {
            let matched = (0..=parents.len()).any(|skip| {
                let mut name: String = parents[skip..].concat();
                name.push_str(&fold(field));
                fold(&name) == folded
            });
            if matched {
                homes.push(format!("{}/{field}", pointer_of(parents)));
            }
        }
    }
    if !homes.is_empty() {
        let list = homes.join(" or ");
        out.push(
            Violation::new(
                &REC007,
                format!("/{}", escape(key)),
                format!("top-level \"{key}\" is not a field here and is ignored; the record has it at {list}"),
            )
            .with_hint(format!("move it to {}", homes[0])),
        );
    } else if let Some(field) = TOP.fields.iter().find(|f| resembles(key, f)) {
        out.push(
            Violation::new(
                &REC007,
                format!("/{}", escape(key)),
                format!("\"{key}\" is not a field and is ignored; it resembles \"{field}\""),
            )
            .with_hint(format!("rename it /{field}")),
        );
    }
}

/// Lower case without separators: `closedAt`, `Closed At` and `closed-at` are `closedat`.
fn fold(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '_' | '-' | ' ' | '.')).flat_map(char::to_lowercase).collect()
}

fn resembles(key: &str, field: &str) -> bool {
    let (k, f) = (fold(key), fold(field));
    if k == f {
        return true;
    }
    let allowed = match f.len() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    allowed > 0 && strsim::damerau_levenshtein(&k, &f) <= allowed
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(json: &str) -> Vec<String> {
        let tree = Json::parse(json).unwrap();
        let mut out = Vec::new();
        check(tree.as_object().unwrap(), &mut out);
        out.into_iter().map(|v| format!("{} {}", v.path, v.message)).collect()
    }

    #[test]
    fn wrong_levels_and_near_misses_are_named() {
        let w = warnings(r#"{"id": "X", "closed_at": "t", "closed_by_role": "r", "closing_reason": "x"}"#);
        assert_eq!(
            w,
            [
                "/closed_at top-level \"closed_at\" is not a field here and is ignored; the record has it at /closing/closed_at",
                "/closed_by_role top-level \"closed_by_role\" is not a field here and is ignored; the record has it at /closing/closed_by/role",
                "/closing_reason top-level \"closing_reason\" is not a field here and is ignored; the record has it at /closing/reason",
            ]
        );
        let w = warnings(
            r#"{"id": "X", "openedAt": "t", "notes": "n", "closing": {"closed_by": {"rol": "x"}, "resolvedBy": "y"}}"#,
        );
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w[0].contains("resembles \"opened_at\""));
        assert!(w[1].contains("/escalation/notes or /closing/notes"));
        assert!(w[2].starts_with("/closing/resolvedBy") && w[2].contains("resembles \"resolved_by\""));
        assert!(w[3].starts_with("/closing/closed_by/rol"));
    }

    #[test]
    fn every_field_is_found_and_nothing_else() {
        let levels = [&TOP, &EVENT].into_iter().chain(NESTED.iter().map(|(_, level)| level));
        for level in levels {
            for field in level.fields {
                assert!((level.is_field)(field), "{field}");
                for other in [&field[1..], &field[..field.len() - 1], &format!("{field}_"), &field.to_uppercase()] {
                    assert!(!(level.is_field)(other) || level.fields.contains(&other), "{other}");
                }
            }
            assert!(!(level.is_field)(""));
        }
        // Each nested level is reached through a top-level field the one pass keeps.
        for (path, _) in NESTED.iter().chain([&(&["events"][..], EVENT)]) {
            assert!(holder(path[0]).is_some() && (TOP.is_field)(path[0]), "{path:?}");
        }
    }

    #[test]
    fn other_unknown_keys_stay_silent() {
        assert!(warnings(r#"{"id": "X", "as_of": "t", "export_batch": 3, "source_system": "rt", "events": [{"at": "t", "type": "call", "ticket_row": 4}]}"#)
            .is_empty());
    }
}
