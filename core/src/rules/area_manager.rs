//! Area Manager Escalation Process, SOP 000-003 (seed 003): escalating a service pro's
//! missed commitments to the Area Manager through a ServiceBench exception.

use crate::catalogue::RuleInfo;
use crate::codes::{CallOutcome, Direction, NoteTarget, NoteVisibility, Party};
use crate::record::{Closing, Event, EventKind};
use crate::time::Timestamp;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(AM001, Error, AreaManagerException,
    title: "the service pro was not called after the customer's report",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 1",
    source: "When a customer reports issues or concerns with a service pro's repair, the customer service agent is required to call the service pro to discuss the customer's concern, seek a resolution, and document the service job with the outcome of their contact.",
    explanation: "opened_at is when the customer reported the problem. The agent must call the service pro (a `call` to party servicer at or after the report). The procedure gives no deadline; escalint reads \"required to call\" as a same-day duty: the rule fires once the local day of the report has ended (or the case closed) without such a call.");
rule!(AM002, Error, AreaManagerException,
    title: "the service pro was not reached and no message with an explicit note on the service job followed",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 1",
    source: "If unable to reach the service pro, the customer service agent must leave a message stating the customer's concern, request the service pro to contact the customer as soon as possible, and leave an explicit note on the service job.",
    explanation: "When the first attempt did not reach the service pro (no answer, busy, wrong number, or only a message), the agent must leave a message — a call with outcome `voicemail`, on that attempt or a later one — and an explicit note on the service job (a `note` with `on: service_job`) at or after the attempt, both the same local day (a voicemail or note made at step 2 does not complete step 1). One violation names what is missing.");
rule!(AM003, Error, AreaManagerException,
    title: "the customer called back 24 hours or more after the first attempt and the service pro was not called again",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "If the customer calls back 24 hours after Cinch's initial contact attempt with the service pro, the customer service agent must call the service pro to seek a resolution.",
    explanation: "Step 2 starts when the customer calls back (an inbound customer call) at least `thresholds.area_manager_wait_hours` (24) after the first attempt to reach the service pro. The agent must then call the service pro again (a servicer call at or after that inbound call), by the end of that local day. A call-back sooner than 24 hours does not start step 2.");
rule!(AM004, Error, AreaManagerException,
    title: "the second attempt failed without a second voicemail and a Public with Email note",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "If the service pro was unavailable, the customer service agent must leave a second voice message and send a Public with Email note explaining the reason for their contact.",
    explanation: "If the second attempt did not reach the service pro, a second voicemail (outcome `voicemail` on that or a later servicer call) and a `note` with visibility `public_with_email` at or after the attempt are both required, by the end of that local day.");
rule!(AM005, Error, AreaManagerException,
    title: "step 2 was reached but no exception was opened to the Area Manager",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "In addition, the customer service agent must open the corresponding task Exception via ServiceBench directed to the Area Manager to document the service pro's missed commitment.",
    explanation: "Once step 2 has started (the customer's call-back 24 hours or more after the first attempt), an `exception_opened` directed to the Area Manager is required (\"In addition … must open the corresponding task Exception\"), whether or not the second attempt reached the service pro; due by the end of that local day. An exception opened earlier counts.");
rule!(AM006, Error, AreaManagerException,
    title: "exception code not in the legend",
    sop: "Area Manager Escalation Process (SOP 000-003), Exception Legend",
    source: "COACH, GREAT SVC, HI COST, MISDIAG, MISSED APPT, NCNS, NO RESPONSE, NO WORK, PROCESS, PROFILE UPDATE, SP UNRESPONSIVE, UNPROFESSIONAL, WORKMANSHIP",
    explanation: "Every exception's `code` must be one of the 13 legend codes of the policy (COACH, GREAT SVC, HI COST, MISDIAG, MISSED APPT, NCNS, NO RESPONSE, NO WORK, PROCESS, PROFILE UPDATE, SP UNRESPONSIVE, UNPROFESSIONAL, WORKMANSHIP), matched by code or label with case, dashes and spacing folded (\"SP Unresponsive\", \"missed-appt\"). A missing or unknown code is reported with the closest legend code as the hint.");
rule!(AM007, Warning, AreaManagerException,
    title: "exception opened before step 2 was reached, without a risk to customer or service pro",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2 and Note",
    source: "Note: For potential risk to the customer or service pro please click here",
    explanation: "The exception belongs to step 2. One opened before step 2 was reached is a warning unless the event marks `risk: true` — the procedure's note sends potential risk to the customer or service pro straight to escalation.");
rule!(AM008, Error, AreaManagerException,
    title: "closed with an exception but without the admin team's email to the Area Manager",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 3",
    source: "The \"Admin team\" will review the escalation and communicate the issue to the assigned Area Manager via email for additional actions.",
    explanation: "Step 3: the admin team reviews the escalation and emails the assigned Area Manager. A case with an exception may only close after an `admin_review` event with `emailed_area_manager: true`. Checked on the record's closing and on a proposed one (can_close).");

pub static RULES: &[&RuleInfo] = &[&AM001, &AM002, &AM003, &AM004, &AM005, &AM006, &AM007, &AM008];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    let progress = Progress::of(ctx);
    if let Some(report) = ctx.record.opened_at {
        service_pro_called(ctx, &report, &progress, out);
        first_attempt_followed_up(ctx, &progress, out);
        called_again_after_callback(ctx, &progress, out);
        second_attempt_followed_up(ctx, &progress, out);
        exception_opened_at_step_two(ctx, &progress, out);
        exception_not_early(ctx, &progress, out);
    }
    exception_codes_in_legend(ctx, out);
    if let Some(closing) = &ctx.record.closing {
        check_closing(ctx, closing, out);
    }
}

/// Where an Area Manager case stands in the procedure.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress<'a> {
    /// Step 1: the first call to the service pro after the customer's report.
    pub first_attempt: Option<&'a Event>,
    /// Step 2 starts: the customer's call-back 24 h or more after the first attempt.
    pub customer_callback: Option<&'a Event>,
    /// Step 2: the first call to the service pro at or after that call-back.
    pub second_attempt: Option<&'a Event>,
}

impl<'a> Progress<'a> {
    pub fn of(ctx: &Ctx<'a>) -> Self {
        let Some(report) = ctx.record.opened_at else { return Progress::default() };
        let first_attempt = servicer_calls(ctx).find(|e| e.at >= report);
        let wait = Ctx::hours(ctx.policy.thresholds().area_manager_wait_hours);
        let customer_callback = first_attempt.and_then(|first| {
            ctx.events().iter().find(|e| {
                e.at >= first.at + wait
                    && matches!(e.kind, EventKind::Call { party: Some(Party::Customer), direction: Direction::Inbound, .. })
            })
        });
        let second_attempt = customer_callback.and_then(|cb| servicer_calls(ctx).find(|e| e.at >= cb.at));
        Progress { first_attempt, customer_callback, second_attempt }
    }

    /// The moment after which an exception is no longer "early".
    pub fn step_two_reached(&self) -> bool {
        self.customer_callback.is_some()
    }
}

/// Outbound calls to the service pro, in time order.
fn servicer_calls<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Event> + 'a {
    ctx.events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Call { party: Some(Party::Servicer), direction: Direction::Outbound, .. }))
}

fn reached(e: &Event) -> bool {
    matches!(e.kind, EventKind::Call { outcome: Some(CallOutcome::Reached), .. })
}

/// Whether a duty that falls due at the end of `t`'s local day has come due.
fn day_is_over(ctx: &Ctx, t: &Timestamp) -> bool {
    let end = ctx.zone.end_of_day(ctx.local_date(t));
    let judged = ctx.record.closing.as_ref().and_then(|c| c.closed_at).unwrap_or(ctx.now);
    judged >= end || ctx.record.closing.is_some()
}

/// The end of the local day of `t`: when the same-day duties of that step fall due.
pub fn same_day_deadline(ctx: &Ctx, t: &Timestamp) -> Timestamp {
    ctx.zone.end_of_day(ctx.local_date(t))
}

/// A voicemail left on `attempt` or a later servicer call the same local day.
pub fn voicemail_after(ctx: &Ctx, attempt: &Event) -> bool {
    let until = same_day_deadline(ctx, &attempt.at);
    servicer_calls(ctx).any(|e| e.at >= attempt.at && e.at < until && matches!(e.kind, EventKind::Call { outcome: Some(CallOutcome::Voicemail), .. }))
}

/// A note at or after `attempt`, the same local day, that satisfies `wanted`.
pub fn note_after(ctx: &Ctx, attempt: &Event, wanted: fn(&EventKind) -> bool) -> bool {
    let until = same_day_deadline(ctx, &attempt.at);
    ctx.events().iter().any(|e| e.at >= attempt.at && e.at < until && wanted(&e.kind))
}

pub fn is_service_job_note(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Note { on: NoteTarget::ServiceJob, .. })
}

pub fn is_public_with_email_note(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Note { visibility: Some(NoteVisibility::PublicWithEmail), .. })
}

/// An exception directed to the Area Manager (an exception without a target is read as one:
/// the procedure knows no other target).
pub fn area_manager_exceptions<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Event> + 'a {
    ctx.events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ExceptionOpened { directed_to: None | Some(Party::AreaManager), .. }))
}

/// AM001: Step 1 — call the service pro.
fn service_pro_called(ctx: &Ctx, report: &Timestamp, progress: &Progress, out: &mut Vec<Violation>) {
    if progress.first_attempt.is_none() && day_is_over(ctx, report) {
        out.push(Violation::new(
            &AM001,
            "",
            format!("the service pro was not called after the customer's report at {}", ctx.fmt(report)),
        ));
    }
}

/// AM002: Step 1 — not reached: leave a message and an explicit note on the service job.
fn first_attempt_followed_up(ctx: &Ctx, progress: &Progress, out: &mut Vec<Violation>) {
    let Some(first) = progress.first_attempt else { return };
    if reached(first) || !day_is_over(ctx, &first.at) {
        return;
    }
    let mut missing = Vec::new();
    if !voicemail_after(ctx, first) {
        missing.push("a message (voicemail) for the service pro");
    }
    if !note_after(ctx, first, is_service_job_note) {
        missing.push("an explicit note on the service job");
    }
    if !missing.is_empty() {
        out.push(Violation::new(
            &AM002,
            first.path(""),
            format!("the service pro was not reached at {} and the case has no {}", ctx.fmt(&first.at), missing.join(" and no ")),
        ));
    }
}

/// AM003: Step 2 — the customer called back after 24 h: call the service pro again.
fn called_again_after_callback(ctx: &Ctx, progress: &Progress, out: &mut Vec<Violation>) {
    let Some(callback) = progress.customer_callback else { return };
    if progress.second_attempt.is_none() && day_is_over(ctx, &callback.at) {
        out.push(Violation::new(
            &AM003,
            callback.path(""),
            format!(
                "the customer called back at {}, {} h or more after the first attempt, and the service pro was not called again",
                ctx.fmt(&callback.at),
                ctx.policy.thresholds().area_manager_wait_hours
            ),
        ));
    }
}

/// AM004: Step 2 — second attempt failed: second voicemail and a Public with Email note.
fn second_attempt_followed_up(ctx: &Ctx, progress: &Progress, out: &mut Vec<Violation>) {
    let Some(second) = progress.second_attempt else { return };
    if reached(second) || !day_is_over(ctx, &second.at) {
        return;
    }
    let mut missing = Vec::new();
    if !voicemail_after(ctx, second) {
        missing.push("a second voicemail");
    }
    if !note_after(ctx, second, is_public_with_email_note) {
        missing.push("a Public with Email note");
    }
    if !missing.is_empty() {
        out.push(Violation::new(
            &AM004,
            second.path(""),
            format!("the second attempt at {} did not reach the service pro and the case has no {}", ctx.fmt(&second.at), missing.join(" and no ")),
        ));
    }
}

/// AM005: Step 2 — open the exception to the Area Manager.
fn exception_opened_at_step_two(ctx: &Ctx, progress: &Progress, out: &mut Vec<Violation>) {
    let Some(callback) = progress.customer_callback else { return };
    if area_manager_exceptions(ctx).next().is_none() && day_is_over(ctx, &callback.at) {
        out.push(Violation::new(
            &AM005,
            callback.path(""),
            format!("step 2 was reached with the customer's call-back at {} but no exception was opened to the Area Manager", ctx.fmt(&callback.at)),
        ));
    }
}

/// AM006: the exception code is one of the legend's.
fn exception_codes_in_legend(ctx: &Ctx, out: &mut Vec<Violation>) {
    let legend = &ctx.policy.exception_codes;
    for e in ctx.events() {
        let EventKind::ExceptionOpened { code, .. } = &e.kind else { continue };
        match code.as_deref() {
            Some(c) if legend.find(c).is_some() => {}
            Some(c) => {
                let mut v = Violation::new(&AM006, e.path("code"), format!("exception code \"{c}\" is not in the exception legend"));
                if let Some(closest) = legend.closest(c) {
                    v = v.with_hint(format!("code: {}", closest.label));
                }
                out.push(v);
            }
            None => out.push(
                Violation::new(&AM006, e.path("code"), "the exception has no code from the exception legend")
                    .with_hint(format!("one of {}", legend.entries().iter().map(|l| l.label.as_str()).collect::<Vec<_>>().join(", "))),
            ),
        }
    }
}

/// AM007: an exception before step 2 is only for a potential risk.
fn exception_not_early(ctx: &Ctx, progress: &Progress, out: &mut Vec<Violation>) {
    for e in area_manager_exceptions(ctx) {
        let EventKind::ExceptionOpened { risk, .. } = &e.kind else { continue };
        let early = progress.customer_callback.is_none_or(|cb| e.at < cb.at);
        if early && !risk {
            out.push(Violation::new(
                &AM007,
                e.path(""),
                format!("the exception was opened at {} before step 2 (the customer's call-back 24 h after the first attempt) and is not marked as a risk", ctx.fmt(&e.at)),
            ));
        }
    }
}

/// The closing precondition of the Area Manager process (AM008).
pub fn check_closing(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    let until = closing.closed_at.unwrap_or(ctx.now);
    let has_exception = area_manager_exceptions(ctx).any(|e| e.at <= until);
    if has_exception && !admin_emailed_area_manager(ctx, &until) {
        out.push(Violation::new(
            &AM008,
            "/closing",
            "an exception was opened to the Area Manager, but the admin team's review email to the Area Manager is not recorded before the closing",
        ));
    }
}

/// Step 3 done: the admin team reviewed and emailed the Area Manager.
pub fn admin_emailed_area_manager(ctx: &Ctx, until: &Timestamp) -> bool {
    ctx.events().iter().any(|e| e.at <= *until && matches!(e.kind, EventKind::AdminReview { emailed_area_manager: true }))
}
