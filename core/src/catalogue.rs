//! The rule catalogue: every rule id with its severity, title, SOP citation and explanation.
//!
//! Each rule is declared as a `static RuleInfo` next to the function that checks it (one
//! module per procedure); this module only gathers them, in id order, for `escalint rules`,
//! `escalint.rules()` and the documentation.

use serde::Serialize;

use std::sync::OnceLock;

use crate::codes::Procedure;
use crate::report::{Severity, Step, Violation};

/// Which procedures a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every procedure (the record rules REC, the timeliness rules TM).
    All,
    /// Field Management Support cases only.
    FieldManagementSupport,
    /// Field Management Support and installs escalations.
    FmsAndInstalls,
    /// Area Manager exceptions only.
    AreaManagerException,
    /// Leadership requests only.
    LeadershipRequest,
}

impl Scope {
    /// Whether a rule of this scope may fire on a case of `procedure` (`None`: a case whose
    /// procedure is unknown). The engine checks every finding against it in debug builds, so a
    /// rule that fires outside its declared scope fails the tests.
    pub fn includes(self, procedure: Option<Procedure>) -> bool {
        match self {
            Scope::All => true,
            Scope::FieldManagementSupport => procedure == Some(Procedure::FieldManagementSupport),
            Scope::FmsAndInstalls => {
                matches!(procedure, Some(Procedure::FieldManagementSupport | Procedure::InstallsEscalation))
            }
            Scope::AreaManagerException => procedure == Some(Procedure::AreaManagerException),
            Scope::LeadershipRequest => procedure == Some(Procedure::LeadershipRequest),
        }
    }
}

/// A rule of the catalogue (docs/rules.md).
#[derive(Debug, Serialize)]
pub struct RuleInfo {
    /// The rule's id, e.g. `CL003`.
    pub id: &'static str,
    /// Whether a finding of the rule makes a case invalid (error) or not (warning).
    pub severity: Severity,
    /// Which procedures the rule applies to.
    pub scope: Scope,
    /// One line: what the rule catches.
    pub title: &'static str,
    /// Where in the procedures it comes from, e.g. "Closing Escalations, step 3c".
    pub sop: &'static str,
    /// The words of the procedure the rule enforces.
    pub source: &'static str,
    /// How the rule reads the procedure, including any interpretation of ambiguous text.
    pub explanation: &'static str,
}

/// Rules are equal when their ids are (each id is declared once).
impl PartialEq for RuleInfo {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for RuleInfo {}

/// Declare a rule of the catalogue next to the function that checks it (internal: the rules
/// are the crate's own).
#[doc(hidden)]
#[macro_export]
macro_rules! rule {
    ($id:ident, $severity:ident, $scope:ident, title: $title:expr, sop: $sop:expr, source: $source:expr, explanation: $explanation:expr $(,)?) => {
        pub static $id: $crate::catalogue::RuleInfo = $crate::catalogue::RuleInfo {
            id: stringify!($id),
            severity: $crate::report::Severity::$severity,
            scope: $crate::catalogue::Scope::$scope,
            title: $title,
            sop: $sop,
            source: $source,
            explanation: $explanation,
        };
    };
}

impl RuleInfo {
    /// How the rule treats what is dated after `now` (part of every rule's documentation).
    pub fn events_after_now(&self) -> &'static str {
        if self.id.starts_with("REC") {
            "The record's text is checked as given, whatever the time: a malformed or unknown value is reported even on an event dated after `now`, and such a record may not close."
        } else {
            "Sees only what had happened by `now`: events dated after `now`, and a closing dated after it, are ignored, so judging a case at `now` equals judging it with them removed. A closing (the record's own, or a proposal to `can_close`) is judged at its `closed_at`, on the events up to then."
        }
    }

    /// What the `no_contact` closing basis ("no contact after the third attempt") means for
    /// the procedures the rule applies to (part of every rule's documentation).
    pub fn no_contact(&self) -> &'static str {
        match self.scope {
            Scope::FieldManagementSupport | Scope::FmsAndInstalls => {
                "`no_contact` needs at least 3 failed outbound attempts to reach the customer (calls that did not reach them, emails) since they were last reached, up to the closing (CL002); a Field Management Support case also needs its job completed (FMS032)."
            }
            Scope::AreaManagerException => {
                "The Area Manager process names no closing basis of its own, so the Closing Escalations reading applies: `no_contact` needs at least 3 failed outbound attempts to reach the customer since they were last reached, up to the closing (CL002), and, as for any basis, the steps the case reached and the admin team's email (AM001–AM005, AM008)."
            }
            Scope::LeadershipRequest => {
                "The leadership procedure names no closing basis of its own, so the Closing Escalations reading applies: `no_contact` needs at least 3 failed outbound attempts to reach the customer since they were last reached, up to the closing (CL002), and, as for any basis, the follow-up or transfer chain must have run its course (LD010)."
            }
            Scope::All => {
                "In every procedure `no_contact` needs at least 3 failed outbound attempts to reach the customer since they were last reached, up to the closing (CL002), on top of the procedure's own closing preconditions (FMS032, AM008, LD010)."
            }
        }
    }
}

/// Every rule, sorted by id.
pub fn all() -> Vec<&'static RuleInfo> {
    sorted().to_vec()
}

/// The catalogue, gathered once from the rule sets the procedures' table lists.
fn sorted() -> &'static [&'static RuleInfo] {
    static ALL: OnceLock<Vec<&'static RuleInfo>> = OnceLock::new();
    ALL.get_or_init(|| {
        let own = Procedure::ALL.iter().flat_map(|p| p.sop().rules());
        let mut rules: Vec<&'static RuleInfo> =
            crate::procedures::SHARED_RULES.iter().chain(own).flat_map(|set| set.iter().copied()).collect();
        rules.sort_by_key(|r| r.id);
        rules
    })
}

/// One rule by id (case-insensitive).
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    sorted().iter().copied().find(|r| r.id.eq_ignore_ascii_case(id.trim()))
}

/// In debug builds (every test), a finding whose rule is not in the catalogue, or that fired
/// on a case outside the rule's scope, is a bug: it would be missing from the catalogue, the
/// docs and the fixture test, or be documented for procedures it does not follow.
pub(crate) fn debug_check(procedure: Option<Procedure>, violations: &[Violation]) {
    if cfg!(debug_assertions) {
        for v in violations {
            let Some(rule) = find(v.rule) else {
                panic!("rule {} fired but is not in the catalogue (add it to its module's RULES)", v.rule)
            };
            assert!(
                rule.scope.includes(procedure),
                "rule {} fired on a {procedure:?} case, outside its scope {:?}",
                v.rule,
                rule.scope
            );
        }
    }
}

/// [`debug_check`] for the rules next steps serve: each must be the catalogue's own entry.
pub(crate) fn debug_check_steps(procedure: Option<Procedure>, steps: &[Step]) {
    if cfg!(debug_assertions) {
        for step in steps {
            let listed = find(step.rule.id).is_some_and(|r| std::ptr::eq(r, step.rule));
            assert!(listed, "step {} serves rule {}, which is not in the catalogue", step.action, step.rule.id);
            assert!(
                step.rule.scope.includes(procedure),
                "step {} serves {} outside its scope",
                step.action,
                step.rule.id
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_cited() {
        let rules = all();
        for pair in rules.windows(2) {
            assert_ne!(pair[0].id, pair[1].id, "duplicate rule id");
        }
        for r in &rules {
            assert!(!r.title.is_empty() && !r.sop.is_empty(), "{} lacks a title or SOP citation", r.id);
        }
        assert!(find("cl005").is_some());
    }
}
