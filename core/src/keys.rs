//! Keys that look like a field but are not one (REC007). Unknown keys are ignored (exports
//! carry extra columns), but one that is a field's name written differently (`closedAt`,
//! `closed_by_rol`) or a field at the wrong level (a top-level `closed_at`, a flattened
//! `closed_by_role`) would be ignored *in place of* the field: the case is then judged without
//! it (closed cases judged open). Those are a warning naming the field they resemble.

use crate::catalogue::{RuleInfo, Scope};
use crate::json::{Json, Object};
use crate::report::{Severity, Violation};

pub static REC007: RuleInfo = RuleInfo {
    id: "REC007",
    severity: Severity::Warning,
    scope: Scope::All,
    title: "a key that is not a field resembles one, or is a field at the wrong level (ignored)",
    sop: "docs/format.md, Unknown keys",
    source: "One JSON object per case. Unknown keys are ignored (exports carry extra columns).",
    explanation: "An unknown key is ignored, so a field written under another spelling (closedAt, closed_by_rol) or at the wrong level (a top-level closed_at or closed_by_role instead of closing.closed_at and closing.closed_by.role) silently leaves the field absent: a closed case is then judged as open. Such a key is a warning naming the field it resembles: its spelling folded for case and separators equals the field's, it is one edit away (two for long names), or it is a nested field's name, alone or prefixed with its parents'. Other unknown keys stay silent.",
};

const TOP: &[&str] = &[
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
const CUSTOMER: &[&str] = &["first_name", "last_name", "phone", "zip"];
const ORDER: &[&str] =
    &["id", "status", "scheduled_for", "servicer", "selling_store", "missed_appointments", "completed_at"];
const SERVICER: &[&str] = &["a_number", "name"];
const ESCALATION: &[&str] = &[
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
const MARKET_MANAGER: &[&str] = &["name", "email", "region"];
const STORE_PROVIDERS: &[&str] = &["primary", "secondary", "tertiary"];
const CLOSING: &[&str] =
    &["closed_at", "closed_by", "escalation_id", "basis", "resolved_by", "final_responsibility", "reason", "notes"];
const CLOSED_BY: &[&str] = &["agent_id", "role"];
const EVENT: &[&str] = &[
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

/// The nested objects of a case: their pointer and fields.
const NESTED: &[(&str, &[&str])] = &[
    ("/customer", CUSTOMER),
    ("/order", ORDER),
    ("/order/servicer", SERVICER),
    ("/escalation", ESCALATION),
    ("/market_manager", MARKET_MANAGER),
    ("/store_providers", STORE_PROVIDERS),
    ("/closing", CLOSING),
    ("/closing/closed_by", CLOSED_BY),
];

/// Warn about the keys of a case that resemble its fields.
pub(crate) fn check(case: &Object<'_>, out: &mut Vec<Violation>) {
    for (key, _) in case.iter() {
        if !TOP.contains(&key) {
            top_level(key, out);
        }
    }
    for (pointer, fields) in NESTED {
        if let Some(obj) = at(case, pointer) {
            level(obj, pointer, fields, out);
        }
    }
    if let Some(Json::Array(events)) = case.get("events") {
        for (i, event) in events.iter().enumerate() {
            if let Some(obj) = event.as_object() {
                level(obj, &format!("/events/{i}"), EVENT, out);
            }
        }
    }
}

fn at<'o>(case: &'o Object<'o>, pointer: &str) -> Option<&'o Object<'o>> {
    let mut obj = case;
    for token in pointer[1..].split('/') {
        obj = obj.get(token)?.as_object()?;
    }
    Some(obj)
}

fn level(obj: &Object<'_>, pointer: &str, fields: &[&str], out: &mut Vec<Violation>) {
    for (key, _) in obj.iter() {
        if fields.contains(&key) {
            continue;
        }
        if let Some(field) = fields.iter().find(|f| resembles(key, f)) {
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
    for (pointer, fields) in NESTED {
        // `closed_at`, `closed_by_role`, `closing_reason`, `order_status`: the field's name,
        // alone or after its parents' names.
        let parents: Vec<&str> = pointer[1..].split('/').collect();
        for field in *fields {
            let matched = (0..=parents.len()).any(|skip| {
                let mut name: String = parents[skip..].concat();
                name.push_str(&fold(field));
                fold(&name) == folded
            });
            if matched {
                homes.push(format!("{pointer}/{field}"));
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
    } else if let Some(field) = TOP.iter().find(|f| resembles(key, f)) {
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
    fn other_unknown_keys_stay_silent() {
        assert!(warnings(r#"{"id": "X", "as_of": "t", "export_batch": 3, "source_system": "rt", "events": [{"at": "t", "type": "call", "ticket_row": 4}]}"#)
            .is_empty());
    }
}
