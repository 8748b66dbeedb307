//! The policy (its fields: core/policy/default.json): every taxonomy and threshold the rules use, as data.
//!
//! The embedded default (`core/policy/default.json`) is built from the five procedures. A
//! caller can replace it, or give several versions: each case is then judged by the version
//! in force on the local date it was opened. A policy is checked completely when it is
//! loaded; a malformed one is refused with a message naming the problem and never half-loads.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::labels::{key, KeyMap, LabelSet};

/// The embedded policy document.
pub const DEFAULT_POLICY_JSON: &str = include_str!("../policy/default.json");

/// Why a policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not JSON (serde_json's message, with its line and column).
    #[error("policy is not valid JSON: {0}")]
    Syntax(String),
    /// A field is missing or has the wrong type.
    #[error("policy field {path}: {message}")]
    Field {
        /// Where, as a path into the document.
        path: String,
        /// What is wrong, and what was expected.
        message: String,
    },
    /// A version is well-formed but not usable (duplicate labels, a threshold out of range, …).
    #[error("policy {version}: {path}: {message}")]
    Invalid {
        /// The version's name.
        version: String,
        /// Where in that version.
        path: String,
        /// What is wrong, and what was expected.
        message: String,
    },
    /// Two versions take effect on the same date.
    #[error(
        "policy versions {first} and {second} both take effect on {date}; each version needs its own effective_from"
    )]
    DuplicateEffectiveDate {
        /// One version's name.
        first: String,
        /// The other's.
        second: String,
        /// The date both take effect on.
        date: NaiveDate,
    },
    /// An empty list of versions, or nothing at all.
    #[error("no policy given: expected a policy object, a list of them, or {{\"policies\": [...]}}")]
    Empty,
}

/// An enumerated value of the policy: a label, its code (the label's key when omitted),
/// and other spellings that historical data uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The canonical code; the label's key when omitted.
    pub code: Option<String>,
    /// The label people see.
    pub label: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Other spellings historical data uses.
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Why the entry is there, for the reader of the policy.
    pub note: Option<String>,
}

impl Entry {
    /// The canonical code: `code`, or the label's key.
    pub fn code(&self) -> String {
        self.code.clone().unwrap_or_else(|| key(&self.label))
    }

    /// Every spelling the entry is known by, as written: its code, its label, its aliases.
    pub fn spellings(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(self.code()).chain(std::iter::once(self.label.clone())).chain(self.aliases.iter().cloned())
    }
}

/// A final-responsibility reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonEntry {
    #[serde(flatten)]
    /// The reason's code, label and aliases.
    pub entry: Entry,
    /// Only for damage-claim escalations (CL006).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damage_claims_only: bool,
}

/// A final-responsibility party and its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsibilityEntry {
    #[serde(flatten)]
    /// The party's code, label and aliases.
    pub entry: Entry,
    /// The reasons that may be given with this party.
    pub reasons: Vec<ReasonEntry>,
}

/// The fixed values of the Field Management Support escalation form (RS005).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FmsForm {
    /// `escalation.escalation_for`, as the form requires it.
    pub escalation_for: String,
    /// `escalation.escalator_title`.
    pub escalator_title: String,
    /// `escalation.ownership`.
    pub ownership: String,
    /// `escalation.escalation_type`.
    pub escalation_type: String,
}

/// When new escalations must first be touched. The procedures know one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstTouch {
    /// "New escalations need to be addressed the same day they are opened."
    SameLocalDay,
}

/// Every number the procedures give, plus the project's readings of their vague words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// When a new escalation must first be touched (TM001).
    pub first_touch: FirstTouch,
    /// "They then need to be updated every 24 hours" (TM002).
    pub update_interval_hours: u32,
    /// "After working the job for no more than 15 minutes, call the customer" (FMS022).
    pub customer_update_minutes: u32,
    /// "no contact after the third attempt" (CL002).
    pub no_contact_attempts: u32,
    /// "available within 30 seconds" (LD005–LD007).
    pub transfer_window_seconds: u32,
    /// "contact them with an update within 1 day" (LD003).
    pub follow_up_hours: u32,
    /// "If the customer calls back 24 hours after … the initial contact attempt" (AM003).
    pub area_manager_wait_hours: u32,
    /// "completely resolved in a reasonable time frame" (TM003): the project's reading.
    pub resolution_target_days: u32,
    /// Slack after a call-back time before FMS030 fires.
    pub callback_grace_minutes: u32,
    /// Slack on the 24-hour update rule before TM002 fires.
    pub update_grace_minutes: u32,
}

/// Input limits (REC006), checked before the work they protect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The largest record, in bytes of JSON text.
    pub max_record_bytes: usize,
    /// The deepest nesting of arrays and objects.
    pub max_depth: usize,
    /// The most events per case.
    pub max_events: usize,
    /// The longest string value, in bytes.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_record_bytes: 1 << 20, max_depth: 32, max_events: 2000, max_string_bytes: 1 << 16 }
    }
}

/// The accepted range of one number of the policy, checked when a policy is loaded.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    /// The field, as the policy writes it (`thresholds.follow_up_hours`).
    pub field: &'static str,
    /// The smallest accepted value.
    pub min: u64,
    /// The largest accepted value.
    pub max: u64,
    /// Why the bounds are what they are, as the refusal says it.
    pub why: &'static str,
    get: fn(&PolicyDocument) -> u64,
}

const HOURS_IN_A_YEAR: u64 = 366 * 24;
const MINUTES_IN_A_WEEK: u64 = 7 * 24 * 60;

/// Every threshold and limit with its accepted range (SECURITY.md lists
/// them). Why bounded: a threshold is added to case times, and a year is already more than
/// any procedure waits; a limit protects memory and the stack, so it cannot be unbounded
/// either. A policy outside a range is refused with the field named, never loaded.
pub const RANGES: &[Range] = &[
    Range {
        field: "thresholds.update_interval_hours",
        min: 1,
        max: HOURS_IN_A_YEAR,
        why: "1 hour to a year",
        get: |d| d.thresholds.update_interval_hours.into(),
    },
    Range {
        field: "thresholds.customer_update_minutes",
        min: 1,
        max: MINUTES_IN_A_WEEK,
        why: "1 minute to a week",
        get: |d| d.thresholds.customer_update_minutes.into(),
    },
    Range {
        field: "thresholds.no_contact_attempts",
        min: 1,
        max: 100,
        why: "1 to 100 attempts",
        get: |d| d.thresholds.no_contact_attempts.into(),
    },
    Range {
        field: "thresholds.transfer_window_seconds",
        min: 1,
        max: 3600,
        why: "1 second to an hour",
        get: |d| d.thresholds.transfer_window_seconds.into(),
    },
    Range {
        field: "thresholds.follow_up_hours",
        min: 1,
        max: HOURS_IN_A_YEAR,
        why: "1 hour to a year",
        get: |d| d.thresholds.follow_up_hours.into(),
    },
    Range {
        field: "thresholds.area_manager_wait_hours",
        min: 1,
        max: HOURS_IN_A_YEAR,
        why: "1 hour to a year",
        get: |d| d.thresholds.area_manager_wait_hours.into(),
    },
    Range {
        field: "thresholds.resolution_target_days",
        min: 1,
        max: 3660,
        why: "1 day to ten years",
        get: |d| d.thresholds.resolution_target_days.into(),
    },
    Range {
        field: "thresholds.callback_grace_minutes",
        min: 0,
        max: MINUTES_IN_A_WEEK,
        why: "none to a week",
        get: |d| d.thresholds.callback_grace_minutes.into(),
    },
    Range {
        field: "thresholds.update_grace_minutes",
        min: 0,
        max: MINUTES_IN_A_WEEK,
        why: "none to a week",
        get: |d| d.thresholds.update_grace_minutes.into(),
    },
    Range {
        field: "limits.max_record_bytes",
        min: 64,
        max: 1 << 30,
        why: "64 bytes to 1 GiB; a record is held in memory whole",
        get: |d| d.limits.max_record_bytes as u64,
    },
    Range {
        field: "limits.max_depth",
        min: 4,
        max: 512,
        why: "events nest 4 levels deep; deeper would let hostile input exhaust the stack",
        get: |d| d.limits.max_depth as u64,
    },
    Range {
        field: "limits.max_events",
        min: 1,
        max: 1_000_000,
        why: "1 to a million events per case",
        get: |d| d.limits.max_events as u64,
    },
    Range {
        field: "limits.max_string_bytes",
        min: 1,
        max: 1 << 30,
        why: "1 byte to 1 GiB",
        get: |d| d.limits.max_string_bytes as u64,
    },
];

/// The policy document as written (and as `escalint policy` prints it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDocument {
    /// The version's name, reported in every answer (`policy_version`).
    pub version: String,
    /// The first day (in the case's zone) on which cases opened are judged by this version.
    pub effective_from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// What changed in this version.
    pub description: Option<String>,
    /// The roles allowed to close an escalation (CL001).
    pub closer_roles: Vec<Entry>,
    /// Who may be named as having resolved the case (CL003).
    pub resolved_by: Vec<Entry>,
    /// The final-responsibility parties and their reasons (CL004–CL006).
    pub responsibility: Vec<ResponsibilityEntry>,
    /// The exception legend of Area Manager exceptions (AM006).
    pub exception_codes: Vec<Entry>,
    /// The qualifiers that make a case sensitive (LD rules).
    pub sensitive_qualifiers: Vec<Entry>,
    /// The order statuses (REC003).
    pub order_statuses: Vec<Entry>,
    /// The fixed values of the FMS escalation form (RS005).
    pub fms_form: FmsForm,
    /// Every number the procedures give.
    pub thresholds: Thresholds,
    /// The input limits (REC006).
    pub limits: Limits,
}

/// A final-responsibility party, compiled for look-ups.
#[derive(Debug, Clone)]
pub struct ResponsibilityParty {
    /// The party's canonical code.
    pub code: String,
    /// The party's label.
    pub label: String,
    /// The reasons that may be given with the party.
    pub reasons: LabelSet,
    /// Per reason (same order as `reasons`): only for damage claims.
    pub damage_claims_only: Vec<bool>,
}

/// Where a reason is listed: party and reason positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReasonRef {
    /// The party's position in `Policy::parties`.
    pub party: usize,
    /// The reason's position in that party's reasons.
    pub reason: usize,
}

/// A checked, ready policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The document the policy was built from.
    pub document: PolicyDocument,
    /// `closer_roles`, ready for look-ups.
    pub closer_roles: LabelSet,
    /// `resolved_by`, ready for look-ups.
    pub resolved_by: LabelSet,
    /// The final-responsibility parties, in the document's order.
    pub parties: Vec<ResponsibilityParty>,
    /// The parties' codes and labels, ready for look-ups.
    pub party_set: LabelSet,
    /// `exception_codes`, ready for look-ups.
    pub exception_codes: LabelSet,
    /// `sensitive_qualifiers`, ready for look-ups.
    pub sensitive_qualifiers: LabelSet,
    /// `order_statuses`, ready for look-ups.
    pub order_statuses: LabelSet,
    /// Every reason key → the parties that list it.
    reason_index: KeyMap<Vec<ReasonRef>>,
    /// The same, by every reason code, label and alias exactly as written.
    reason_verbatim: KeyMap<Vec<ReasonRef>>,
    /// Hints already worked out by `closest_reason`.
    reason_hints: crate::labels::HintMemo,
}

impl Policy {
    /// The embedded default policy.
    pub fn embedded() -> Policy {
        Policy::from_json(DEFAULT_POLICY_JSON).expect("the embedded policy is valid (tested)")
    }

    /// Load one policy document from JSON text.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let document: PolicyDocument = serde_path_to_error::deserialize(&mut de).map_err(field_error)?;
        de.end().map_err(|e| PolicyError::Syntax(e.to_string()))?;
        Policy::from_document(document)
    }

    /// Check and compile a document.
    pub fn from_document(document: PolicyDocument) -> Result<Policy, PolicyError> {
        let version = document.version.clone();
        let invalid = |path: &str, message: String| PolicyError::Invalid {
            version: version.clone(),
            path: path.to_string(),
            message,
        };
        if version.trim().is_empty() {
            return Err(invalid("version", "must not be empty".into()));
        }
        let set = |entries: &[Entry], path: &str| -> Result<LabelSet, PolicyError> {
            if entries.is_empty() {
                return Err(invalid(path, "must list at least one value".into()));
            }
            let mut set = LabelSet::new();
            for (i, e) in entries.iter().enumerate() {
                if key(&e.label).is_empty() {
                    return Err(invalid(
                        &format!("{path}[{i}].label"),
                        format!("\"{}\" has no letters or digits", e.label),
                    ));
                }
                set.insert(&e.code(), &e.label, &e.aliases).map_err(|d| {
                    invalid(
                        &format!("{path}[{i}]"),
                        format!("\"{}\" and \"{}\" both answer to \"{}\"", d.first, d.second, d.key),
                    )
                })?;
            }
            Ok(set)
        };
        let closer_roles = set(&document.closer_roles, "closer_roles")?;
        let resolved_by = set(&document.resolved_by, "resolved_by")?;
        let exception_codes = set(&document.exception_codes, "exception_codes")?;
        let sensitive_qualifiers = set(&document.sensitive_qualifiers, "sensitive_qualifiers")?;
        let order_statuses = set(&document.order_statuses, "order_statuses")?;
        let party_entries: Vec<Entry> = document.responsibility.iter().map(|p| p.entry.clone()).collect();
        let party_set = set(&party_entries, "responsibility")?;

        let mut parties = Vec::new();
        let mut reason_index: KeyMap<Vec<ReasonRef>> = KeyMap::default();
        for (pi, p) in document.responsibility.iter().enumerate() {
            let reason_entries: Vec<Entry> = p.reasons.iter().map(|r| r.entry.clone()).collect();
            let reasons = set(&reason_entries, &format!("responsibility[{pi}].reasons"))?;
            for (ri, r) in p.reasons.iter().enumerate() {
                let keys = r.entry.spellings();
                for k in keys.map(|t| key(&t)) {
                    let refs = reason_index.entry(k).or_default();
                    let r = ReasonRef { party: pi, reason: ri };
                    if !refs.contains(&r) {
                        refs.push(r);
                    }
                }
            }
            parties.push(ResponsibilityParty {
                code: p.entry.code(),
                label: p.entry.label.clone(),
                reasons,
                damage_claims_only: p.reasons.iter().map(|r| r.damage_claims_only).collect(),
            });
        }

        let mut reason_verbatim: KeyMap<Vec<ReasonRef>> = KeyMap::default();
        for r in document.responsibility.iter().flat_map(|p| &p.reasons) {
            for text in r.entry.spellings() {
                let refs = reason_index.get(&key(&text)).cloned().unwrap_or_default();
                reason_verbatim.insert(text, refs);
            }
        }

        for range in RANGES {
            let value = (range.get)(&document);
            if value < range.min || value > range.max {
                let closest = value.clamp(range.min, range.max);
                return Err(invalid(
                    range.field,
                    format!(
                        "{value} is outside the accepted range {}..={} ({}); the closest valid value is {closest}",
                        range.min, range.max, range.why
                    ),
                ));
            }
        }
        for (name, value) in [
            ("escalation_for", &document.fms_form.escalation_for),
            ("escalator_title", &document.fms_form.escalator_title),
            ("ownership", &document.fms_form.ownership),
            ("escalation_type", &document.fms_form.escalation_type),
        ] {
            if key(value).is_empty() {
                return Err(invalid(&format!("fms_form.{name}"), "must not be empty".into()));
            }
        }

        Ok(Policy {
            document,
            closer_roles,
            resolved_by,
            parties,
            party_set,
            exception_codes,
            sensitive_qualifiers,
            order_statuses,
            reason_index,
            reason_hints: Default::default(),
            reason_verbatim,
        })
    }

    /// The version's name.
    pub fn version(&self) -> &str {
        &self.document.version
    }

    /// The first day cases are judged by this version.
    pub fn effective_from(&self) -> NaiveDate {
        self.document.effective_from
    }

    /// The thresholds.
    pub fn thresholds(&self) -> &Thresholds {
        &self.document.thresholds
    }

    /// The input limits.
    pub fn limits(&self) -> &Limits {
        &self.document.limits
    }

    /// The fixed values of the FMS form.
    pub fn fms_form(&self) -> &FmsForm {
        &self.document.fms_form
    }

    /// The responsibility party matching `text`.
    pub fn party(&self, text: &str) -> Option<&ResponsibilityParty> {
        self.party_set.position(text).map(|i| &self.parties[i])
    }

    /// Every party that lists a reason matching `text`, with the reason's position.
    pub(crate) fn reason_refs(&self, text: &str) -> &[ReasonRef] {
        let refs = self.reason_verbatim.get(text).or_else(|| self.reason_index.get(&key(text)));
        refs.map(Vec::as_slice).unwrap_or(&[])
    }

    /// The closest reason over all parties (for a hint), with its party's code.
    pub(crate) fn closest_reason(&self, text: &str) -> Option<(&str, &str)> {
        let wanted = key(text);
        if wanted.len() > crate::labels::MAX_HINT_INPUT {
            return None;
        }
        let best = self.reason_hints.get_or_compute(&wanted, || {
            let mut best: Option<(f64, usize, usize)> = None;
            for (pi, p) in self.parties.iter().enumerate() {
                for (ri, r) in p.reasons.entries().iter().enumerate() {
                    let score = strsim::normalized_damerau_levenshtein(&wanted, &key(&r.label))
                        .max(strsim::normalized_damerau_levenshtein(&wanted, &r.code));
                    if best.is_none_or(|(s, _, _)| score > s) {
                        best = Some((score, pi, ri));
                    }
                }
            }
            best.map(|(_, pi, ri)| (pi, ri))
        });
        best.map(|(pi, ri)| {
            let party = &self.parties[pi];
            (party.code.as_str(), party.reasons.entries()[ri].code.as_str())
        })
    }

    /// The policy as JSON text (what `escalint policy` prints).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.document).expect("policy documents serialize")
    }
}

fn field_error(e: serde_path_to_error::Error<serde_json::Error>) -> PolicyError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        PolicyError::Syntax(inner.to_string())
    } else {
        PolicyError::Field { path: if path == "." { "(top level)".into() } else { path }, message: inner.to_string() }
    }
}

/// Read policy text holding one policy, a list of them, or `{"policies": [...]}`.
pub(crate) fn policies_from_json(text: &str) -> Result<Vec<Policy>, PolicyError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
    // A single policy's fields are named from its top; a list's with the version's index.
    let single = matches!(&value, serde_json::Value::Object(obj) if !(obj.len() == 1 && obj.contains_key("policies")));
    let list = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut obj) if obj.len() == 1 && obj.contains_key("policies") => {
            match obj.remove("policies") {
                Some(serde_json::Value::Array(items)) => items,
                _ => {
                    return Err(PolicyError::Field {
                        path: "policies".into(),
                        message: "expected a list of policy objects".into(),
                    })
                }
            }
        }
        other @ serde_json::Value::Object(_) => vec![other],
        _ => {
            return Err(PolicyError::Field {
                path: "(top level)".into(),
                message: "expected a policy object, a list of them, or {\"policies\": [...]}".into(),
            })
        }
    };
    if list.is_empty() {
        return Err(PolicyError::Empty);
    }
    list.into_iter()
        .enumerate()
        .map(|(i, item)| {
            let document: PolicyDocument = serde_path_to_error::deserialize(item).map_err(|e| {
                let path = match (single, e.path().to_string()) {
                    (true, top) if top == "." => "(top level)".to_string(),
                    (true, path) => path,
                    (false, top) if top == "." => format!("[{i}]"),
                    (false, path) => format!("[{i}].{path}"),
                };
                PolicyError::Field { path, message: e.into_inner().to_string() }
            })?;
            Policy::from_document(document)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_as_written_are_found_as_their_keys_are() {
        let p = Policy::embedded();
        for r in p.document.responsibility.iter().flat_map(|party| &party.reasons) {
            for text in r.entry.spellings() {
                let by_key = p.reason_index.get(&key(&text)).map(Vec::as_slice).unwrap_or(&[]);
                assert_eq!(p.reason_refs(&text), by_key, "{text}");
                assert!(!by_key.is_empty(), "{text}");
            }
        }
    }

    #[test]
    fn embedded_policy_loads_with_every_taxonomy() {
        let p = Policy::embedded();
        assert_eq!(p.closer_roles.len(), 4);
        assert_eq!(p.parties.len(), 4);
        assert_eq!(p.exception_codes.len(), 13);
        assert_eq!(p.sensitive_qualifiers.len(), 14);
        assert!(p.order_statuses.find("Prescheduled – Rejected").is_some());
        let refs = p.reason_refs("Opened in error");
        let parties: Vec<&str> = refs.iter().map(|r| p.parties[r.party].code.as_str()).collect();
        assert_eq!(parties, ["client", "installs_inc"]);
        let tech = p.reason_refs("technician - unprofessional - unfamiliar with product / installation");
        assert_eq!(p.parties[tech[0].party].code, "installation_company");
    }

    #[test]
    fn malformed_policies_are_refused_with_the_problem_named() {
        let mut doc: serde_json::Value = serde_json::from_str(DEFAULT_POLICY_JSON).unwrap();
        doc["thresholds"]["update_interval_hours"] = serde_json::json!("daily");
        let err = Policy::from_json(&doc.to_string()).unwrap_err();
        assert!(err.to_string().contains("thresholds.update_interval_hours"), "{err}");

        let mut doc: serde_json::Value = serde_json::from_str(DEFAULT_POLICY_JSON).unwrap();
        doc["exception_codes"][1]["label"] = serde_json::json!("coach");
        let err = Policy::from_json(&doc.to_string()).unwrap_err();
        assert!(err.to_string().contains("exception_codes[1]"), "{err}");

        let mut doc: serde_json::Value = serde_json::from_str(DEFAULT_POLICY_JSON).unwrap();
        doc["thresholds"]["no_contact_attempts"] = serde_json::json!(0);
        assert!(Policy::from_json(&doc.to_string()).unwrap_err().to_string().contains("no_contact_attempts"));

        let mut doc: serde_json::Value = serde_json::from_str(DEFAULT_POLICY_JSON).unwrap();
        doc["surprise"] = serde_json::json!(1);
        assert!(Policy::from_json(&doc.to_string()).unwrap_err().to_string().contains("surprise"));

        assert!(matches!(Policy::from_json("{"), Err(PolicyError::Syntax(_))));
    }

    #[test]
    fn a_field_is_named_from_the_policy_s_top_or_with_the_version_s_index() {
        let one = policies_from_json(r#"{"version": "x", "effective_from": "2020-01-01"}"#).unwrap_err();
        assert_eq!(one.to_string(), "policy field (top level): missing field `closer_roles`");
        let mut doc: serde_json::Value = serde_json::from_str(DEFAULT_POLICY_JSON).unwrap();
        doc["thresholds"]["update_interval_hours"] = serde_json::json!("daily");
        let one = policies_from_json(&doc.to_string()).unwrap_err().to_string();
        assert!(one.starts_with("policy field thresholds.update_interval_hours: "), "{one}");
        let list = policies_from_json(&format!("[{DEFAULT_POLICY_JSON}, {doc}]")).unwrap_err().to_string();
        assert!(list.starts_with("policy field [1].thresholds.update_interval_hours: "), "{list}");
        let list = policies_from_json(r#"[{"version": "x"}]"#).unwrap_err().to_string();
        assert!(list.starts_with("policy field [0]: missing field"), "{list}");
    }
}
