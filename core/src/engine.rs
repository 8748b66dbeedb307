//! The engine: one or more policy versions, and the three questions.

use std::borrow::Cow;

use crate::catalogue;
use crate::input::{Input, Proposal};
use crate::json::Json;
use crate::plan;
use crate::policy::{policies_from_json, Limits, Policy, PolicyError};
use crate::record::{self, Closing, ParsedRecord, Record, Unreadable, REC002};
use crate::report::{no_errors, sort_violations, Answer, CanCloseReport, NextStepsReport, ValidationReport, Violation};
use crate::rules::{self, Ctx};
use crate::selection::RuleSelection;
use crate::time::{now_utc, Timestamp};

/// A case read: its record (borrowed when the caller had one) and the problems found reading it.
struct Read<'a> {
    record: Held<'a>,
    problems: Vec<Violation>,
}

/// A record the engine read (boxed, as [`ParsedRecord`] holds it) or one it was lent.
enum Held<'a> {
    Own(Box<Record>),
    Lent(&'a Record),
}

impl std::ops::Deref for Held<'_> {
    type Target = Record;
    fn deref(&self) -> &Record {
        match self {
            Held::Own(record) => record,
            Held::Lent(record) => record,
        }
    }
}

/// A proposed closing, once its text (if any) has been parsed.
enum ProposalRef<'p> {
    Closing(&'p Closing),
    Tree(&'p Json<'p>),
    Value(Json<'p>),
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

    /// An engine with one or more policy versions; each case is judged by the version in force
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
    fn policy_for(&self, record: &Record, now: &Timestamp) -> &Policy {
        let day = record.zone().local_date(record.opened_at.as_ref().unwrap_or(now));
        self.policies.iter().rev().find(|p| p.effective_from() <= day).unwrap_or(&self.policies[0])
    }

    /// Read a case (of any [`Input`] form) as a typed record, with the problems found while
    /// reading it; or why it cannot be read at all.
    pub fn read<'a>(&self, input: impl Into<Input<'a>>) -> Result<ParsedRecord, Unreadable> {
        self.read_input(input.into()).map(|read| ParsedRecord {
            record: match read.record {
                Held::Own(record) => record,
                Held::Lent(record) => Box::new(record.clone()),
            },
            problems: read.problems,
        })
    }

    fn read_input<'a>(&self, input: Input<'a>) -> Result<Read<'a>, Unreadable> {
        let limits = self.limits();
        let owned = |parsed: ParsedRecord| Read { record: Held::Own(parsed.record), problems: parsed.problems };
        match input {
            Input::Text(text) => record::read_record_text(&text, limits).map(owned),
            Input::Value(value) => record::read_record(value, limits).map(owned),
            Input::Tree(tree) => record::read_record_json(tree, limits).map(owned),
            Input::Record(record) => Ok(Read { record: Held::Lent(record), problems: Vec::new() }),
            Input::Parsed(Cow::Owned(parsed)) => Ok(owned(parsed)),
            Input::Parsed(Cow::Borrowed(parsed)) => {
                Ok(Read { record: Held::Lent(&parsed.record), problems: parsed.problems.clone() })
            }
            Input::Unreadable(unreadable) => Err(unreadable),
        }
    }

    /// The answer for a case that could not be read: its problems, sorted, judged by the
    /// newest policy (the version in force is only known once `opened_at` has been read).
    /// Every report type is built from an unreadable case here.
    fn unreadable<R: Answer>(&self, unreadable: Unreadable) -> R {
        let Unreadable { id, problems: mut violations } = unreadable;
        self.selection.retain(&mut violations);
        catalogue::debug_check(None, &violations);
        sort_violations(&mut violations);
        R::unreadable(id, self.latest_policy().version().to_string(), violations)
    }

    fn effective_now(record: &Record, now: Option<Timestamp>) -> Timestamp {
        now.or_else(|| record.closing.as_ref().and_then(|c| c.closed_at)).unwrap_or_else(now_utc)
    }

    /// Does the case follow the procedures? `now` (the moment of judgement: deadlines that
    /// have not passed are not breached) defaults to the case's closing time, else the
    /// current time. Never fails: an unreadable case is a report with its REC violations.
    pub fn validate<'a>(&self, input: impl Into<Input<'a>>, now: Option<Timestamp>) -> ValidationReport {
        let Read { record, problems: mut violations } = match self.read_input(input.into()) {
            Ok(read) => read,
            Err(unreadable) => return self.unreadable(unreadable),
        };
        let now = Self::effective_now(&record, now);
        let policy = self.policy_for(&record, &now);
        let seen = rules::as_of(&record, now);
        let ctx = Ctx::new(&seen, &record, policy, now);
        rules::check_all(&ctx, &mut violations);
        self.selection.retain(&mut violations);
        catalogue::debug_check(record.procedure, &violations);
        sort_violations(&mut violations);
        ValidationReport {
            id: record.id.clone(),
            valid: no_errors(&violations),
            policy_version: policy.version().to_string(),
            violations,
        }
    }

    /// What must the agent do next, and by when? `now` as for [`validate`](Self::validate).
    /// Never fails: an unreadable case gets no steps and its REC violations.
    pub fn next_steps<'a>(&self, input: impl Into<Input<'a>>, now: Option<Timestamp>) -> NextStepsReport {
        let Read { record, problems: mut violations } = match self.read_input(input.into()) {
            Ok(read) => read,
            Err(unreadable) => return self.unreadable(unreadable),
        };
        let now = Self::effective_now(&record, now);
        let policy = self.policy_for(&record, &now);
        let seen = rules::as_of(&record, now);
        let problems = violations.clone();
        let ctx = Ctx::new(&seen, &record, policy, now).with_problems(&problems);
        rules::record_checks::check(&ctx, &mut violations);
        let (state, steps) = plan::next_steps(&ctx);
        self.selection.retain(&mut violations);
        catalogue::debug_check(record.procedure, &violations);
        catalogue::debug_check_steps(record.procedure, &steps);
        sort_violations(&mut violations);
        NextStepsReport {
            id: record.id.clone(),
            state: Some(state),
            policy_version: policy.version().to_string(),
            steps,
            violations,
        }
    }

    /// May the case be closed with `proposal` (or, when `None`, with the record's own
    /// closing)? `now` defaults to the closing's time, else the current time.
    ///
    /// A case that could not be read is answered with its own problems. Otherwise a proposal
    /// whose text cannot be read is the whole answer (its REC001/REC006 placed at `/closing`).
    pub fn can_close<'a>(
        &self,
        input: impl Into<Input<'a>>,
        proposal: Option<Proposal<'_>>,
        now: Option<Timestamp>,
    ) -> CanCloseReport {
        let input = input.into();
        if let Input::Unreadable(unreadable) = input {
            return self.unreadable(unreadable);
        }
        let parsed_text;
        let proposal = match &proposal {
            None => None,
            Some(Proposal::Closing(closing)) => Some(ProposalRef::Closing(closing)),
            Some(Proposal::Tree(tree)) => Some(ProposalRef::Tree(tree)),
            Some(Proposal::Value(value)) => Some(ProposalRef::Value(Json::from_value(value))),
            Some(Proposal::Text(text)) => match self.parse_proposal(text) {
                Ok(tree) => {
                    parsed_text = tree;
                    Some(ProposalRef::Tree(&parsed_text))
                }
                Err(v) => {
                    let id = self.read_input(input).map(|read| read.record.id.clone()).unwrap_or_default();
                    return self.unreadable(Unreadable { id, problems: vec![v] });
                }
            },
        };
        let Read { record, problems } = match self.read_input(input) {
            Ok(read) => read,
            Err(unreadable) => return self.unreadable(unreadable),
        };
        let tree = match &proposal {
            None => return self.judge_closing(&record, problems, None, Vec::new(), now),
            Some(ProposalRef::Closing(closing)) => {
                return self.judge_closing(&record, problems, Some(closing), Vec::new(), now)
            }
            Some(ProposalRef::Tree(tree)) => *tree,
            Some(ProposalRef::Value(tree)) => tree,
        };
        match record::read_closing(tree, self.limits()) {
            Ok((closing, proposal_problems)) => {
                self.judge_closing(&record, problems, Some(&closing), proposal_problems, now)
            }
            Err(v) => self.unreadable(Unreadable { id: record.id.clone(), problems: vec![v] }),
        }
    }

    /// A proposed closing's JSON text as a tree; its REC001/REC006 placed at `/closing`.
    fn parse_proposal<'p>(&self, proposal: &'p [u8]) -> Result<Json<'p>, Violation> {
        record::parse_json(proposal, self.limits()).map_err(|mut v| {
            v.path = "/closing".into();
            v.message = format!("the proposed closing: {}", v.message);
            v
        })
    }

    fn judge_closing(
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
        catalogue::debug_check(record.procedure, &violations);
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
        assert_eq!(engine.validate(case("2023-12-31T23:00:00-05:00"), None).policy_version, "2016");
        assert_eq!(engine.validate(case("2024-01-01T00:30:00-05:00"), None).policy_version, "2024");
        assert_eq!(engine.validate(case("2010-06-01T12:00:00Z"), None).policy_version, "2016");
    }

    #[test]
    fn unreadable_text_is_a_report() {
        let engine = Engine::new();
        let r = engine.validate("{not json", None);
        assert!(!r.valid);
        assert_eq!(r.violations[0].rule, crate::record::REC001.id);
        let r = engine.validate("[1,2]", None);
        assert_eq!(r.violations[0].rule, "REC001");
    }
}
