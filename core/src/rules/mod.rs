//! The procedure rules: one module per procedure, each rule a small function next to its
//! SOP citation. Every module exposes `check(ctx, out)`; closing-related modules also
//! expose `check_closing(ctx, closing, out)`, which `can_close` runs on a proposed closing.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};

use crate::codes::{EventType, Party};
use crate::policy::Policy;
use crate::record::{Event, EventKind, Record};
use crate::report::Violation;
use crate::time::{format_timestamp, Timestamp, Zone};

pub mod closing;
pub mod record_checks;
pub mod timeliness;

/// Everything a rule may look at.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The case as it stood at `now` ([`as_of`]): what the rules and planners judge.
    pub record: &'a Record,
    /// The case as given, events after `now` included: the record checks (REC*) judge its
    /// text whatever the time.
    pub whole: &'a Record,
    /// The problems found while reading the record (REC*): a record with an error among them
    /// may not close, so the plan does not offer it.
    pub problems: &'a [Violation],
    pub policy: &'a Policy,
    /// The moment of judgement: deadlines that have not passed by `now` are not breached.
    pub now: Timestamp,
    /// The zone of the case's local dates.
    pub zone: Zone,
}

impl<'a> Ctx<'a> {
    /// The context for judging `whole` at `now`; `seen` is `as_of(whole, now)` (or `whole`
    /// itself when nothing in it lies after `now`).
    pub fn new(seen: &'a Record, whole: &'a Record, policy: &'a Policy, now: Timestamp) -> Self {
        Ctx { record: seen, whole, problems: &[], policy, now, zone: seen.zone() }
    }

    /// The same context, with the problems found while reading the record.
    pub fn with_problems(self, problems: &'a [Violation]) -> Self {
        Ctx { problems, ..self }
    }

    /// Events in time order.
    pub fn events(&self) -> &'a [Event] {
        &self.record.events
    }

    /// Events of one type, in time order.
    pub fn events_of(&self, kind: EventType) -> impl Iterator<Item = &'a Event> + 'a {
        self.record.events.iter().filter(move |e| e.event_type() == kind)
    }

    /// Calls (any outcome, any direction) with a party, in time order.
    pub fn calls_with(&self, party: Party) -> impl Iterator<Item = &'a Event> + 'a {
        self.record
            .events
            .iter()
            .filter(move |e| matches!(&e.kind, EventKind::Call { party: Some(p), .. } if *p == party))
    }

    /// The local calendar date of an instant.
    pub fn local_date(&self, t: &Timestamp) -> NaiveDate {
        self.zone.local_date(t)
    }

    /// An instant in the case's local offset.
    pub fn local(&self, t: &Timestamp) -> Timestamp {
        self.zone.localize(t)
    }

    /// The end of the local day of `t` (the start of the next one), in the case's local
    /// offset (the zone gives it so): the deadline of a same-day step.
    pub fn end_of_local_day(&self, t: &Timestamp) -> Timestamp {
        self.zone.end_of_day(self.local_date(t))
    }

    /// An instant as RFC 3339 text in the case's local offset.
    pub fn fmt(&self, t: &Timestamp) -> String {
        format_timestamp(&self.zone.localize(t))
    }

    pub fn hours(h: u32) -> Duration {
        Duration::hours(i64::from(h))
    }

    pub fn minutes(m: u32) -> Duration {
        Duration::minutes(i64::from(m))
    }
}

/// What had happened by `now`: the record without the events after `now` and without a
/// closing after `now`. Every rule and planner judges this view, so judging a case at `now`
/// equals judging it with everything after `now` removed; a record with nothing after `now`
/// is borrowed, not copied.
pub fn as_of(record: &Record, now: Timestamp) -> Cow<'_, Record> {
    let future_event = record.events.iter().any(|e| e.at > now);
    let future_closing = record.closing.as_ref().and_then(|c| c.closed_at).is_some_and(|c| c > now);
    if !future_event && !future_closing {
        return Cow::Borrowed(record);
    }
    let mut seen = record.clone();
    seen.events.retain(|e| e.at <= now);
    if future_closing {
        seen.closing = None;
    }
    Cow::Owned(seen)
}

/// Run every validation rule that applies to the record's procedure.
pub fn check_all(ctx: &Ctx, out: &mut Vec<Violation>) {
    record_checks::check(ctx, out);
    if let Some(procedure) = ctx.record.procedure {
        procedure.sop().check(ctx, out);
    }
    match &ctx.record.closing {
        // The closing is judged as `can_close` judges it (the procedure's closing hook).
        Some(closing) => crate::plan::closing_violations(ctx, closing, out),
        // LD009 applies to every procedure.
        None => crate::procedures::leadership::rules::check_sensitive(ctx, out),
    }
}
