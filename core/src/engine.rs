//! The engine: one or more policy versions, and the three questions.

use serde_json::Value;

use crate::json::Json;
use crate::plan;
use crate::policy::{policies_from_json, Limits, Policy, PolicyError};
use crate::record::{self, Closing, ParsedRecord, Record, REC002};
use crate::report::{
    no_errors, sort_violations, CanCloseReport, CaseState, NextStepsReport, ValidationReport, Violation,
};
use crate::rules::{self, Ctx};
use crate::selection::RuleSelection;
use crate::time::{now_utc, parse_timestamp, Timestamp};

/// A `now` argument that is not an RFC 3339 timestamp with an offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("now: {0}")]
pub struct NowError(pub String);

/// Parse a `now` argument.
pub fn parse_now(text: &str) -> Result<Timestamp, NowError> {
    parse_timestamp(text).map_err(NowError)
}

/// An immutable rules engine. `Send + Sync`: build it once and share it between threads.
#[derive(Debug, Clone)]
pub struct Engine {
    /// Sorted by `effective_from`, oldest first; never empty.
    policies: Vec<Policy>,
    /// The rules whose findings are reported (all by default).
    selection: RuleSelection,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// An engine with the embedded policy.
    pub fn new() -> Self {
        Engine { policies: vec![Policy::embedded()], selection: RuleSelection::all() }
    }

    /// An engine with one policy.
    pub fn with_policy(policy: Policy) -> Self {
        Engine { policies: vec![policy], selection: RuleSelection::all() }
    }

    /// An engine with several policy versions; each case is judged by the version in force
    /// on the local date it was opened.
    pub fn from_policies(mut policies: Vec<Policy>) -> Result<Self, PolicyError> {
        if policies.is_empty() {
            return Err(PolicyError::Empty);
        }
        policies.sort_by_key(|p| p.effective_from());
        for pair in policies.windows(2) {
            if pair[0].effective_from() == pair[1].effective_from() {
                return Err(PolicyError::DuplicateEffectiveDate {
                    first: pair[0].version().to_string(),
                    second: pair[1].version().to_string(),
                    date: pair[0].effective_from(),
                });
            }
        }
        Ok(Engine { policies, selection: RuleSelection::all() })
    }

    /// An engine from policy JSON: one policy object, a list of them, or `{"policies": [...]}`.
    pub fn from_policy_json(text: &str) -> Result<Self, PolicyError> {
        Self::from_policies(policies_from_json(text)?)
    }

    /// This engine with only the rules of `selection` reported (the others are not run:
    /// their findings are dropped before a report is made, so `valid` and `allowed` follow).
    pub fn with_selection(mut self, selection: RuleSelection) -> Self {
        self.selection = selection;
        self
    }

    /// The rules this engine runs.
    pub fn selection(&self) -> &RuleSelection {
        &self.selection
    }

    /// The policy versions, oldest first.
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// The newest policy version.
    pub fn latest_policy(&self) -> &Policy {
        self.policies.last().expect("an engine always has a policy")
    }

    /// The input limits applied before a record is read (those of the newest policy: the
    /// version in force is only known once `opened_at` has been read).
    pub fn limits(&self) -> &Limits {
        self.latest_policy().limits()
    }

    /// The policy version in force for a case: the newest one whose `effective_from` is on
    /// or before the local date it was opened (or of `now` while an FMS case is not open
    /// yet). A case older than every version is judged by the oldest.
    pub fn policy_for(&self, record: &Record, now: &Timestamp) -> &Policy {
        let day = record.zone().local_date(record.opened_at.as_ref().unwrap_or(now));
        self.policies.iter().rev().find(|p| p.effective_from() <= day).unwrap_or(&self.policies[0])
    }

    /// Read a record from JSON text (within the limits).
    pub fn read_json(&self, text: impl AsRef<[u8]>) -> Result<ParsedRecord, record::Unreadable> {
        record::read_record_text(text.as_ref(), self.limits())
    }

    /// Read a record from a JSON value.
    pub fn read_value(&self, value: &Value) -> Result<ParsedRecord, record::Unreadable> {
        record::read_record(value, self.limits())
    }

    /// Read a record from a JSON tree (see [`Json`]: what bindings build from their own
    /// objects, without JSON text in between).
    pub fn read_tree(&self, tree: &Json<'_>) -> Result<ParsedRecord, record::Unreadable> {
        record::read_record_json(tree, self.limits())
    }

    fn effective_now(record: &Record, now: Option<Timestamp>) -> Timestamp {
        now.or_else(|| record.closing.as_ref().and_then(|c| c.closed_at)).unwrap_or_else(now_utc)
    }

    // ---- validate ------------------------------------------------------------------------

    /// Validate a typed record.
    pub fn validate(&self, record: &Record, now: Option<Timestamp>) -> ValidationReport {
        self.validate_with_problems(record, Vec::new(), now)
    }

    /// Validate a record read from JSON, keeping the problems found while reading it.
    pub fn validate_parsed(&self, parsed: &ParsedRecord, now: Option<Timestamp>) -> ValidationReport {
        self.validate_with_problems(&parsed.record, parsed.problems.clone(), now)
    }

    /// Validate JSON text. Never fails: unreadable text is a report with REC001/REC006.
    pub fn validate_json(&self, text: impl AsRef<[u8]>, now: Option<Timestamp>) -> ValidationReport {
        match self.read_json(text) {
            Ok(parsed) => self.validate_with_problems(&parsed.record, parsed.problems, now),
            Err(unreadable) => self.unreadable_validation(unreadable),
        }
    }

    /// Validate a JSON value.
    pub fn validate_value(&self, value: &Value, now: Option<Timestamp>) -> ValidationReport {
        self.validate_tree(&Json::from_value(value), now)
    }

    /// Validate a JSON tree.
    pub fn validate_tree(&self, tree: &Json<'_>, now: Option<Timestamp>) -> ValidationReport {
        match self.read_tree(tree) {
            Ok(parsed) => self.validate_with_problems(&parsed.record, parsed.problems, now),
            Err(unreadable) => self.unreadable_validation(unreadable),
        }
    }

    /// The report for a text that could not be read as a case at all.
    pub fn unreadable_validation(&self, unreadable: record::Unreadable) -> ValidationReport {
        let mut violations = unreadable.problems;
        self.selection.retain(&mut violations);
        sort_violations(&mut violations);
        ValidationReport {
            id: unreadable.id,
            valid: false,
            policy_version: self.latest_policy().version().to_string(),
            violations,
        }
    }

    fn validate_with_problems(
        &self,
        record: &Record,
        mut violations: Vec<Violation>,
        now: Option<Timestamp>,
    ) -> ValidationReport {
        let now = Self::effective_now(record, now);
        let policy = self.policy_for(record, &now);
        let seen = rules::as_of(record, now);
        let ctx = Ctx::new(&seen, record, policy, now);
        rules::check_all(&ctx, &mut violations);
        self.selection.retain(&mut violations);
        sort_violations(&mut violations);
        ValidationReport {
            id: record.id.clone(),
            valid: no_errors(&violations),
            policy_version: policy.version().to_string(),
            violations,
        }
    }

    // ---- next_steps ----------------------------------------------------------------------

    /// What the agent must do next, and by when.
    pub fn next_steps(&self, record: &Record, now: Option<Timestamp>) -> NextStepsReport {
        self.next_steps_with_problems(record, Vec::new(), now)
    }

    /// `next_steps` for a record read from JSON.
    pub fn next_steps_parsed(&self, parsed: &ParsedRecord, now: Option<Timestamp>) -> NextStepsReport {
        self.next_steps_with_problems(&parsed.record, parsed.problems.clone(), now)
    }

    /// `next_steps` for JSON text. Never fails: unreadable text gives no steps and its REC
    /// violations.
    pub fn next_steps_json(&self, text: impl AsRef<[u8]>, now: Option<Timestamp>) -> NextStepsReport {
        match self.read_json(text) {
            Ok(parsed) => self.next_steps_with_problems(&parsed.record, parsed.problems, now),
            Err(unreadable) => self.unreadable_next_steps(unreadable),
        }
    }

    /// `next_steps` for a JSON value.
    pub fn next_steps_value(&self, value: &Value, now: Option<Timestamp>) -> NextStepsReport {
        self.next_steps_tree(&Json::from_value(value), now)
    }

    /// `next_steps` for a JSON tree.
    pub fn next_steps_tree(&self, tree: &Json<'_>, now: Option<Timestamp>) -> NextStepsReport {
        match self.read_tree(tree) {
            Ok(parsed) => self.next_steps_with_problems(&parsed.record, parsed.problems, now),
            Err(unreadable) => self.unreadable_next_steps(unreadable),
        }
    }

    fn unreadable_next_steps(&self, unreadable: record::Unreadable) -> NextStepsReport {
        let mut violations = unreadable.problems;
        self.selection.retain(&mut violations);
        sort_violations(&mut violations);
        NextStepsReport {
            id: unreadable.id,
            state: CaseState::Open,
            policy_version: self.latest_policy().version().to_string(),
            steps: Vec::new(),
            violations,
        }
    }

    fn next_steps_with_problems(
        &self,
        record: &Record,
        mut violations: Vec<Violation>,
        now: Option<Timestamp>,
    ) -> NextStepsReport {
        let now = Self::effective_now(record, now);
        let policy = self.policy_for(record, &now);
        let seen = rules::as_of(record, now);
        let problems = violations.clone();
        let ctx = Ctx::new(&seen, record, policy, now).with_problems(&problems);
        rules::record_checks::check(&ctx, &mut violations);
        let (state, steps) = plan::next_steps(&ctx);
        self.selection.retain(&mut violations);
        sort_violations(&mut violations);
        NextStepsReport {
            id: record.id.clone(),
            state,
            policy_version: policy.version().to_string(),
            steps,
            violations,
        }
    }

    // ---- can_close -----------------------------------------------------------------------

    /// May the case be closed with `proposal` (or, when `None`, with the record's own
    /// closing)? `now` defaults to the closing's time, else the current time.
    pub fn can_close(&self, record: &Record, proposal: Option<&Closing>, now: Option<Timestamp>) -> CanCloseReport {
        self.can_close_with_problems(record, Vec::new(), proposal, Vec::new(), now)
    }

    /// `can_close` for a record read from JSON.
    pub fn can_close_parsed(
        &self,
        parsed: &ParsedRecord,
        proposal: Option<&Closing>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        self.can_close_with_problems(&parsed.record, parsed.problems.clone(), proposal, Vec::new(), now)
    }

    /// `can_close` for JSON text, with an optional proposed closing as JSON text.
    pub fn can_close_json(
        &self,
        text: impl AsRef<[u8]>,
        proposal: Option<&[u8]>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        let proposal = match self.parse_proposal(proposal) {
            Ok(proposal) => proposal,
            Err(v) => {
                let id = self.read_json(text).map(|p| p.record.id).unwrap_or_default();
                return self.refused(id, vec![v]);
            }
        };
        match self.read_json(text) {
            Ok(parsed) => self.can_close_value_parts(parsed, proposal.as_ref(), now),
            Err(unreadable) => self.refused(unreadable.id, unreadable.problems),
        }
    }

    /// `can_close` for a record read already, with an optional proposed closing as JSON text.
    pub fn can_close_parsed_json(
        &self,
        parsed: ParsedRecord,
        proposal: Option<&[u8]>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        match self.parse_proposal(proposal) {
            Ok(proposal) => self.can_close_value_parts(parsed, proposal.as_ref(), now),
            Err(v) => self.refused(parsed.record.id, vec![v]),
        }
    }

    /// A proposed closing's JSON text as a tree; its REC001/REC006 placed at `/closing`.
    fn parse_proposal<'p>(&self, proposal: Option<&'p [u8]>) -> Result<Option<Json<'p>>, Violation> {
        proposal
            .map(|p| {
                record::parse_json(p, self.limits()).map_err(|mut v| {
                    v.path = "/closing".into();
                    v.message = format!("the proposed closing: {}", v.message);
                    v
                })
            })
            .transpose()
    }

    /// `can_close` for JSON values.
    pub fn can_close_value(&self, value: &Value, proposal: Option<&Value>, now: Option<Timestamp>) -> CanCloseReport {
        self.can_close_tree(&Json::from_value(value), proposal.map(Json::from_value).as_ref(), now)
    }

    /// `can_close` for JSON trees.
    pub fn can_close_tree(
        &self,
        tree: &Json<'_>,
        proposal: Option<&Json<'_>>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        match self.read_tree(tree) {
            Ok(parsed) => self.can_close_value_parts(parsed, proposal, now),
            Err(unreadable) => self.refused(unreadable.id, unreadable.problems),
        }
    }

    fn can_close_value_parts(
        &self,
        parsed: ParsedRecord,
        proposal: Option<&Json<'_>>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        match proposal.map(|p| record::read_closing(p, self.limits())) {
            None => self.can_close_with_problems(&parsed.record, parsed.problems, None, Vec::new(), now),
            Some(Ok((closing, problems))) => {
                self.can_close_with_problems(&parsed.record, parsed.problems, Some(&closing), problems, now)
            }
            Some(Err(v)) => self.refused(parsed.record.id, vec![v]),
        }
    }

    fn refused(&self, id: String, mut violations: Vec<Violation>) -> CanCloseReport {
        self.selection.retain(&mut violations);
        sort_violations(&mut violations);
        CanCloseReport { id, allowed: false, policy_version: self.latest_policy().version().to_string(), violations }
    }

    fn can_close_with_problems(
        &self,
        record: &Record,
        record_problems: Vec<Violation>,
        proposal: Option<&Closing>,
        proposal_problems: Vec<Violation>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        // A proposal replaces the record's own closing; the record's own closing problems
        // (REC at /closing/…) then no longer matter. The others are part of the judgement.
        let (own_closing_problems, record_problems): (Vec<Violation>, Vec<Violation>) =
            record_problems.into_iter().partition(|v| v.path.starts_with("/closing"));
        let mut violations = match proposal {
            Some(_) => Vec::new(),
            None => own_closing_problems,
        };
        violations.extend(proposal_problems);
        let now = now
            .or_else(|| proposal.and_then(|p| p.closed_at))
            .or_else(|| record.closing.as_ref().and_then(|c| c.closed_at))
            .unwrap_or_else(now_utc);
        let mut closing = match proposal.or(record.closing.as_ref()) {
            Some(c) => c.clone(),
            None => {
                violations.extend(record_problems);
                violations.push(
                    Violation::new(&REC002, "/closing", "no closing to judge: the record has none and no proposal was given")
                        .with_hint("pass a proposed closing {\"basis\", \"closed_by\", \"resolved_by\", \"final_responsibility\", \"reason\", \"notes\"}"),
                );
                let policy = self.policy_for(record, &now);
                return self.finish_can_close(record, policy, violations);
            }
        };
        if proposal.is_some() {
            // A proposal without a time would close now.
            closing.closed_at.get_or_insert(now);
            if closing.basis.is_none() && !violations.iter().any(|v| v.path == "/closing/basis") {
                violations.push(Violation::new(
                    &REC002,
                    "/closing/basis",
                    "/closing/basis is missing; expected resolved, no_contact or no_longer_an_issue",
                ));
            }
            if closing.closed_by.as_ref().and_then(|c| c.role.as_ref()).is_none()
                && !violations.iter().any(|v| v.path.starts_with("/closing/closed_by"))
            {
                violations.push(Violation::new(
                    &REC002,
                    "/closing/closed_by/role",
                    "/closing/closed_by/role is missing; who closes the case decides whether they may (CL001)",
                ));
            }
        }
        // Judged on what had happened by `now`, as the plan judges it (plan::closing::judge).
        let seen = rules::as_of(record, now);
        let policy = self.policy_for(&seen, &now);
        let ctx = Ctx::new(&seen, record, policy, now).with_problems(&record_problems);
        violations.extend(plan::closing::judge(&ctx, &closing));
        self.finish_can_close(record, policy, violations)
    }

    fn finish_can_close(&self, record: &Record, policy: &Policy, mut violations: Vec<Violation>) -> CanCloseReport {
        self.selection.retain(&mut violations);
        sort_violations(&mut violations);
        CanCloseReport {
            id: record.id.clone(),
            allowed: no_errors(&violations),
            policy_version: policy.version().to_string(),
            violations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine>();
    }

    #[test]
    fn policy_versions_are_chosen_by_opening_date() {
        let mut old: serde_json::Value = serde_json::from_str(crate::policy::DEFAULT_POLICY_JSON).unwrap();
        old["version"] = "2016".into();
        old["effective_from"] = "2016-01-01".into();
        let mut new = old.clone();
        new["version"] = "2024".into();
        new["effective_from"] = "2024-01-01".into();
        let engine = Engine::from_policy_json(&serde_json::json!([new, old]).to_string()).unwrap();
        let case = |opened: &str| format!(r#"{{"id":"X","procedure":"leadership_request","opened_at":"{opened}"}}"#);
        assert_eq!(engine.validate_json(case("2023-12-31T23:00:00-05:00"), None).policy_version, "2016");
        assert_eq!(engine.validate_json(case("2024-01-01T00:30:00-05:00"), None).policy_version, "2024");
        assert_eq!(engine.validate_json(case("2010-06-01T12:00:00Z"), None).policy_version, "2016");
    }

    #[test]
    fn unreadable_text_is_a_report() {
        let engine = Engine::new();
        let r = engine.validate_json("{not json", None);
        assert!(!r.valid);
        assert_eq!(r.violations[0].rule, crate::record::REC001.id);
        let r = engine.validate_json("[1,2]", None);
        assert_eq!(r.violations[0].rule, "REC001");
    }
}
