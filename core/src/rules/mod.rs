//! The procedure rules: one module per procedure, each rule a small function next to its
//! SOP citation. Every module exposes `check(ctx, out)`; closing-related modules also
//! expose `check_closing(ctx, closing, out)`, which `can_close` runs on a proposed closing.

use chrono::{Duration, NaiveDate};

use crate::codes::{EventType, Party};
use crate::policy::Policy;
use crate::record::{Event, EventKind, Record};
use crate::report::Violation;
use crate::time::{format_timestamp, Timestamp, Zone};

pub mod area_manager;
pub mod closing;
pub mod fms;
pub mod leadership;
pub mod record_checks;
pub mod reschedule;
pub mod timeliness;

/// Everything a rule may look at.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub record: &'a Record,
    pub policy: &'a Policy,
    /// The moment of judgement: deadlines that have not passed by `now` are not breached.
    pub now: Timestamp,
    /// The zone of the case's local dates.
    pub zone: Zone,
}

impl<'a> Ctx<'a> {
    pub fn new(record: &'a Record, policy: &'a Policy, now: Timestamp) -> Self {
        Ctx { record, policy, now, zone: record.zone() }
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

/// Run every validation rule that applies to the record's procedure.
pub fn check_all(ctx: &Ctx, out: &mut Vec<Violation>) {
    use crate::codes::Procedure::*;
    record_checks::check(ctx, out);
    match ctx.record.procedure {
        Some(FieldManagementSupport) => {
            reschedule::check(ctx, out);
            fms::check(ctx, out);
            closing::check(ctx, out);
            timeliness::check(ctx, out);
        }
        Some(InstallsEscalation) => {
            closing::check(ctx, out);
            timeliness::check(ctx, out);
        }
        Some(AreaManagerException) => area_manager::check(ctx, out),
        Some(LeadershipRequest) => leadership::check(ctx, out),
        None => {}
    }
    // LD009 applies to every procedure.
    leadership::check_sensitive(ctx, out);
}
