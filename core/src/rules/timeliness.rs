//! Timeliness (seed 002, Key Reminder): first touch the day an escalation opens, an update
//! every 24 hours, resolution in a reasonable time frame.

use chrono::Timelike;

use crate::catalogue::RuleInfo;
use crate::record::Event;
use crate::report::Violation;
use crate::rule;
use crate::time::Timestamp;

use super::Ctx;

rule!(TM001, Error, FmsAndInstalls,
    title: "not addressed on the local day it was opened (no agent action that day)",
    sop: "Closing Escalations, Key Reminder",
    source: "New escalations need to be addressed the same day they are opened.",
    explanation: "\"Addressed\" means at least one agent action (docs/format.md, Events: a call, email, note, update, status change, work started, …) at or after opened_at and before the end of the local calendar day of opening — in the case's IANA time zone when given (so a day that springs forward is 23 hours long), else in opened_at's offset. Closing the case that day also addresses it. Actions before opening (an FMS case's reschedule steps) do not count: the escalation did not exist yet. The rule only fires once that day is over (by `now`) or the case was closed without an action that day.");
rule!(TM002, Error, FmsAndInstalls,
    title: "more than 24 hours without an agent action while open",
    sop: "Closing Escalations, Key Reminder",
    source: "They then need to be updated every 24 hours.",
    explanation: "\"Updated every 24 hours\" is read as: while the case is open, no gap between agent actions longer than `thresholds.update_interval_hours` (24) plus `update_grace_minutes` (0). Gaps are measured from the opening, between agent actions, and up to the closing — or, for an open case, up to `now`, so an overdue update is reported as it happens. One violation per gap; its path is the event that ended the gap (\"/closing/closed_at\" when the closing ended it, \"\" when it is still running).");
rule!(TM003, Warning, FmsAndInstalls,
    title: "open longer than the policy's resolution target",
    sop: "Closing Escalations, Key Reminder",
    source: "...and the issue should be completely resolved in a reasonable time frame.",
    explanation: "\"Completely resolved in a reasonable time frame\" has no number in the procedure; escalint reads it as `thresholds.resolution_target_days` (7 calendar days, a policy value) from opening to closing, or to `now` for an open case. A warning: it flags cases for review rather than breaking a written step.");

pub static RULES: &[&RuleInfo] = &[&TM001, &TM002, &TM003];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    // An FMS case that is not opened yet has no escalation to keep on time.
    let Some(opened) = ctx.record.opened_at else { return };
    let actions = agent_actions(ctx, &opened);
    first_touch_same_day(ctx, &opened, &actions, out);
    updated_every_interval(ctx, &opened, &actions, out);
    resolved_within_target(ctx, &opened, out);
}

/// When the escalation stops being open: its closing, else `now`.
pub fn end_of_watch(ctx: &Ctx) -> Timestamp {
    ctx.record.closing.as_ref().and_then(|c| c.closed_at).unwrap_or(ctx.now)
}

/// Agent actions at or after opening and up to the end of the watch.
pub fn agent_actions<'a>(ctx: &Ctx<'a>, opened: &Timestamp) -> Vec<&'a Event> {
    let end = end_of_watch(ctx);
    ctx.events().iter().filter(|e| e.is_agent_action() && e.at >= *opened && e.at <= end).collect()
}

/// The end of the local day an escalation opened: its first-touch deadline.
pub fn first_touch_deadline(ctx: &Ctx, opened: &Timestamp) -> Timestamp {
    ctx.end_of_local_day(opened)
}

/// TM001: "New escalations need to be addressed the same day they are opened."
fn first_touch_same_day(ctx: &Ctx, opened: &Timestamp, actions: &[&Event], out: &mut Vec<Violation>) {
    let deadline = first_touch_deadline(ctx, opened);
    let closed_that_day = ctx.record.closing.as_ref().and_then(|c| c.closed_at).is_some_and(|c| c < deadline);
    if closed_that_day || actions.iter().any(|a| a.at < deadline) {
        return;
    }
    let judged_at = end_of_watch(ctx);
    if judged_at < deadline {
        return; // the day is not over yet
    }
    out.push(Violation::new(
        &TM001,
        "",
        format!(
            "no agent action on {}, the local day the escalation was opened (opened {}, day ended {})",
            ctx.local_date(opened),
            ctx.fmt(opened),
            ctx.fmt(&deadline)
        ),
    ));
}

/// TM002: "They then need to be updated every 24 hours."
fn updated_every_interval(ctx: &Ctx, opened: &Timestamp, actions: &[&Event], out: &mut Vec<Violation>) {
    let t = ctx.policy.thresholds();
    let allowed = Ctx::hours(t.update_interval_hours) + Ctx::minutes(t.update_grace_minutes);
    let closed_at = ctx.record.closing.as_ref().and_then(|c| c.closed_at);
    let end = end_of_watch(ctx);
    let mut from = *opened;
    // Each gap ends at an action, or at the end of the watch (`None`).
    let ends = actions.iter().map(|a| (a.at, Some(*a))).chain(std::iter::once((end, None)));
    for (to, ended_by) in ends {
        if to - from > allowed {
            let still_open = closed_at.is_none() && to == end;
            let path = match ended_by {
                Some(action) => action.path(""),
                None if closed_at.is_some() => "/closing/closed_at".to_string(),
                None => String::new(),
            };
            // A gap still running ends at `now`, the clock's when not given: whole seconds
            // (the clock's nanoseconds say nothing to the reader).
            let shown_to = if still_open { to.with_nanosecond(0).unwrap_or(to) } else { to };
            out.push(Violation::new(
                &TM002,
                path,
                format!(
                    "no agent action for {} (from {} to {}{}); an open escalation is updated every {} hours",
                    human_duration(to - from),
                    ctx.fmt(&from),
                    ctx.fmt(&shown_to),
                    if still_open { ", still running" } else { "" },
                    t.update_interval_hours
                ),
            ));
        }
        if to > from {
            from = to;
        }
    }
}

/// TM003: "...completely resolved in a reasonable time frame" (the policy's target).
fn resolved_within_target(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    let days = ctx.policy.thresholds().resolution_target_days;
    let end = end_of_watch(ctx);
    if end - *opened > chrono::Duration::days(i64::from(days)) {
        let status = if ctx.record.closing.is_some() { "was open" } else { "has been open" };
        out.push(Violation::new(
            &TM003,
            "",
            format!(
                "the escalation {status} for {}, longer than the resolution target of {days} days",
                human_duration(end - *opened)
            ),
        ));
    }
}

/// "2 d 3 h", "37 h 20 min", "45 min".
pub fn human_duration(d: chrono::Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) if h < 48 => format!("{h} h {m} min"),
        (d, h, _) if d >= 2 => format!("{d} d {h} h"),
        (d, h, m) => format!("{} h {m} min", d * 24 + h),
    }
}
