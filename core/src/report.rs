//! The answers (CONTRACT §3): the same shapes from Rust, C, Python and the command line.

use serde::Serialize;

use crate::catalogue::RuleInfo;

/// How bad a violation is. `valid` is false as soon as one `error` is present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: which rule, where in the record, what is wrong, which procedure says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: &'static str,
    pub severity: Severity,
    /// A JSON Pointer into the record (`/events/3/outcome`), or `""` for the whole case.
    pub path: String,
    pub message: String,
    pub sop: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Violation {
    pub fn new(rule: &'static RuleInfo, path: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            rule: rule.id,
            severity: rule.severity,
            path: path.into(),
            message: message.into(),
            sop: rule.sop,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Sort violations by rule, then path (CONTRACT §3), then message so equal inputs give equal
/// bytes; exact duplicates are dropped.
pub fn sort_violations(violations: &mut Vec<Violation>) {
    violations
        .sort_by(|a, b| a.rule.cmp(b.rule).then_with(|| a.path.cmp(&b.path)).then_with(|| a.message.cmp(&b.message)));
    violations.dedup();
}

/// `true` when no violation is an error.
pub fn no_errors(violations: &[Violation]) -> bool {
    violations.iter().all(|v| v.severity != Severity::Error)
}

/// The answer of `validate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    pub id: String,
    pub valid: bool,
    pub policy_version: String,
    pub violations: Vec<Violation>,
}

/// Where a case stands, for `next_steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// FMS only: the reschedule conversation is under way; the escalation is not open yet.
    NotOpened,
    /// Something is due now (or overdue).
    Open,
    /// Nothing is due until a time passes or someone replies.
    Waiting,
    /// Every precondition of closing holds; `close_escalation` is offered.
    ReadyToClose,
    /// The record carries a closing.
    Closed,
}

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::NotOpened => "not_opened",
            CaseState::Open => "open",
            CaseState::Waiting => "waiting",
            CaseState::ReadyToClose => "ready_to_close",
            CaseState::Closed => "closed",
        }
    }
}

/// One thing the agent should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// An action name of CONTRACT §5.
    pub action: &'static str,
    /// RFC 3339 deadline in the case's local offset, or `None` when no procedure sets one.
    pub due_by: Option<String>,
    /// The rule this step serves (doing it keeps that rule from firing).
    pub rule: &'static str,
    pub why: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
}

/// The answer of `next_steps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStepsReport {
    pub id: String,
    pub state: CaseState,
    pub policy_version: String,
    pub steps: Vec<Step>,
    /// Only record problems (REC*) that stop planning.
    pub violations: Vec<Violation>,
}

/// The answer of `can_close`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanCloseReport {
    pub id: String,
    pub allowed: bool,
    pub policy_version: String,
    pub violations: Vec<Violation>,
}

macro_rules! to_json {
    ($($t:ty),*) => {$(
        impl $t {
            /// The report as compact JSON text (deterministic: fields in contract order).
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).expect("reports serialize")
            }
        }
    )*};
}
to_json!(ValidationReport, NextStepsReport, CanCloseReport);
