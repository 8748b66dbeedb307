//! Area Manager Escalation Process, SOP 000-003 (seed 003): escalating a service pro's
//! missed commitments to the Area Manager through a ServiceBench exception.

use chrono::Duration;

use crate::catalogue::RuleInfo;
use crate::codes::{CallOutcome, Direction, EventType, NoteTarget, NoteVisibility, Party};
use crate::record::{Closing, Event, EventKind};
use crate::report::Violation;
use crate::rule;
use crate::time::{add_saturating, Timestamp};

use crate::rules::Ctx;

rule!(AM001, Error, AreaManagerException,
    title: "the service pro was not called after the customer's report",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 1",
    source: "When a customer reports issues or concerns with a service pro's repair, the customer service agent is required to call the service pro to discuss the customer's concern, seek a resolution, and document the service job with the outcome of their contact.",
    explanation: "The report is `opened_at`. The agent must place an outbound call to the service pro (`call`, party `servicer`) at or after the report, whatever its outcome. The deadline is the end of the local day of the report (the SOP says \"required\" without a time; same-day is the project's reading); the rule fires once that day has ended by `now`, or when the case was closed without such a call.");
rule!(AM002, Error, AreaManagerException,
    title: "the service pro was not reached and no message with an explicit note on the service job followed",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 1",
    source: "If unable to reach the service pro, the customer service agent must leave a message stating the customer's concern, request the service pro to contact the customer as soon as possible, and leave an explicit note on the service job.",
    explanation: "When the first attempt after the report did not reach the service pro (outcome other than `reached`), two things must follow it (on that call or later, by the end of that local day): a message left (a servicer `call` with outcome `voicemail`, which may be the first attempt itself) and an explicit note on the service job (`note` with `on: service_job`, any visibility). Judged once the local day of the first attempt has ended, or at closing.");
rule!(AM003, Error, AreaManagerException,
    title: "the customer called back 24 hours or more after the first attempt and the service pro was not called again",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "If the customer calls back 24 hours after Cinch's initial contact attempt with the service pro, the customer service agent must call the service pro to seek a resolution.",
    explanation: "Step 2 is reached when the customer calls back (inbound customer `call`) at least `area_manager_wait_hours` (24) elapsed hours after the first attempt; elapsed time is measured instant to instant, so across a DST change a 24-hour wait can be 23 or 25 hours on the wall clock. A call-back exactly at the mark counts. The service pro must then be called again (an outbound servicer call after that call-back) by the end of the local day of the call-back (the project's reading), or before closing.");
rule!(AM004, Error, AreaManagerException,
    title: "the second attempt failed without a second voicemail and a Public with Email note",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "If the service pro was unavailable, the customer service agent must leave a second voice message and send a Public with Email note explaining the reason for their contact.",
    explanation: "When the second attempt (the first servicer call after the step-2 call-back) did not reach the service pro, it must be followed (on that call or later, by the end of that local day) by a second message (servicer `call` with outcome `voicemail`) and a `note` with visibility `public_with_email`. Judged once the local day of the second attempt has ended, or at closing. One violation names everything that is missing.");
rule!(AM005, Error, AreaManagerException,
    title: "step 2 was reached but no exception was opened to the Area Manager",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "In addition, the customer service agent must open the corresponding task Exception via ServiceBench directed to the Area Manager to document the service pro's missed commitment.",
    explanation: "Once step 2 is reached, a ServiceBench exception must be opened directed to the Area Manager (`exception_opened` with `directed_to: area_manager`) at or after the report. The SOP says \"in addition\": the exception is due whether or not the second attempt reached the service pro. Judged once the local day of the call-back has ended, or at closing.");
rule!(AM006, Error, AreaManagerException,
    title: "exception code not in the legend",
    sop: "Area Manager Escalation Process (SOP 000-003), Exception Legend",
    source: "COACH, GREAT SVC, HI COST, MISDIAG, MISSED APPT, NCNS, NO RESPONSE, NO WORK, PROCESS, PROFILE UPDATE, SP UNRESPONSIVE, UNPROFESSIONAL, WORKMANSHIP",
    explanation: "Each `exception_opened` must carry a code of the policy's exception legend (13 codes), given as a code (`missed_appt`) or a label as written (`MISSED APPT`, `missed-appt`, `Missed Appt.`). A missing code or one that matches nothing is reported on `/events/N/code` with the closest legend code as a hint; a code is never guessed.");
rule!(AM007, Warning, AreaManagerException,
    title: "exception opened before step 2 was reached, without a risk to customer or service pro",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2 and Note",
    source: "Note: For potential risk to the customer or service pro please click here",
    explanation: "An exception is the step-2 action; opened before step 2 was reached (no qualifying call-back at or before it) it is only expected for a potential risk to the customer or the service pro (the SOP's Note), recorded as `risk: true`. Otherwise this warning.");
rule!(AM008, Error, AreaManagerException,
    title: "closed with an exception but without the admin team's email to the Area Manager",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 3",
    source: "The \"Admin team\" will review the escalation and communicate the issue to the assigned Area Manager via email for additional actions.",
    explanation: "A case in which an exception was opened may only be closed after the admin team reviewed it and emailed the Area Manager (`admin_review` with `emailed_area_manager: true` at or before `closed_at`). This is the Area Manager process's closing precondition: `can_close` refuses without it. A case without an exception needs nothing more to close. A proposed closing (can_close) is also refused while any of AM001–AM005 would fire: the steps the case reached must be done before it closes.");

pub static RULES: &[&RuleInfo] = &[&AM001, &AM002, &AM003, &AM004, &AM005, &AM006, &AM007, &AM008];

/// What the Area Manager process has done so far, shared by the rules and the plan.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// When the customer reported the problem.
    pub report: Timestamp,
    /// The first outbound call to the service pro at or after the report.
    pub first_attempt: Option<&'a Event>,
    /// The customer's first inbound call at least `area_manager_wait_hours` after the first attempt.
    pub callback: Option<&'a Event>,
    /// The first outbound call to the service pro after that call-back.
    pub second_attempt: Option<&'a Event>,
}

impl<'a> Progress<'a> {
    pub fn of(ctx: &Ctx<'a>) -> Option<Progress<'a>> {
        let report = ctx.record.opened_at?;
        let first_attempt = servicer_calls(ctx).find(|e| e.at >= report);
        let callback = first_attempt.and_then(|first| {
            let mark = add_saturating(first.at, wait(ctx));
            ctx.events().iter().find(|e| e.at >= mark && is_customer_callback(e))
        });
        let second_attempt = callback.and_then(|cb| servicer_calls(ctx).find(|e| e.at > cb.at));
        Some(Progress { report, first_attempt, callback, second_attempt })
    }

    /// When step 2 may start: `area_manager_wait_hours` after the first attempt.
    pub fn callback_mark(&self, ctx: &Ctx) -> Option<Timestamp> {
        self.first_attempt.map(|e| add_saturating(e.at, wait(ctx)))
    }
}

fn wait(ctx: &Ctx) -> Duration {
    Ctx::hours(ctx.policy.thresholds().area_manager_wait_hours)
}

/// Outbound calls to the service pro, in time order.
pub fn servicer_calls<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Event> + 'a {
    ctx.calls_with(Party::Servicer).filter(|e| matches!(e.as_call(), Some((_, _, Direction::Outbound))))
}

fn is_customer_callback(e: &Event) -> bool {
    matches!(e.as_call(), Some((Some(Party::Customer), _, Direction::Inbound)))
}

fn reached(e: &Event) -> bool {
    matches!(e.as_call(), Some((_, Some(CallOutcome::Reached), _)))
}

/// A message left for the service pro at or after `from`, by the end of that local day.
pub fn voicemail_after(ctx: &Ctx, from: &Event) -> bool {
    let by = ctx.end_of_local_day(&from.at);
    servicer_calls(ctx)
        .any(|e| e.at >= from.at && e.at < by && matches!(e.as_call(), Some((_, Some(CallOutcome::Voicemail), _))))
}

/// A note on the service job at or after `from`, by the end of that local day.
pub fn service_job_note_after(ctx: &Ctx, from: &Event) -> bool {
    let by = ctx.end_of_local_day(&from.at);
    ctx.events_of(EventType::Note)
        .any(|e| e.at >= from.at && e.at < by && matches!(e.kind, EventKind::Note { on: NoteTarget::ServiceJob, .. }))
}

/// A Public with Email note at or after `from`, by the end of that local day.
pub fn public_email_note_after(ctx: &Ctx, from: &Event) -> bool {
    let by = ctx.end_of_local_day(&from.at);
    ctx.events_of(EventType::Note).any(|e| {
        e.at >= from.at
            && e.at < by
            && matches!(e.kind, EventKind::Note { visibility: Some(NoteVisibility::PublicWithEmail), .. })
    })
}

/// Exceptions directed to the Area Manager at or after the report.
pub fn area_manager_exceptions<'a>(ctx: &Ctx<'a>, report: Timestamp) -> impl Iterator<Item = &'a Event> + 'a {
    ctx.events_of(EventType::ExceptionOpened).filter(move |e| {
        e.at >= report && matches!(e.kind, EventKind::ExceptionOpened { directed_to: Some(Party::AreaManager), .. })
    })
}

/// The admin team's email to the Area Manager, at or before `by`.
pub fn admin_emailed(ctx: &Ctx, by: Option<Timestamp>) -> bool {
    ctx.events_of(EventType::AdminReview).any(|e| {
        matches!(e.kind, EventKind::AdminReview { emailed_area_manager: true }) && by.iter().all(|b| e.at <= *b)
    })
}

/// Has a same-day deadline running from `t` passed (or the case closed)?
fn day_over(ctx: &Ctx, t: &Timestamp) -> bool {
    ctx.record.closing.is_some() || ctx.now >= ctx.end_of_local_day(t)
}

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    for e in ctx.events_of(EventType::ExceptionOpened) {
        check_exception_code(ctx, e, out);
    }
    if let Some(progress) = Progress::of(ctx) {
        check_service_pro_called(ctx, &progress, out);
        check_first_message(ctx, &progress, out);
        check_called_again(ctx, &progress, out);
        check_second_message(ctx, &progress, out);
        check_exception_opened(ctx, &progress, out);
        check_early_exception(ctx, &progress, out);
    }
    // A closing is judged by the procedure's closing hook (`plan::closing_violations`).
}

/// AM001.
fn check_service_pro_called(ctx: &Ctx, p: &Progress, out: &mut Vec<Violation>) {
    if p.first_attempt.is_none() && day_over(ctx, &p.report) {
        out.push(
            Violation::new(
                &AM001,
                "",
                format!(
                    "the customer reported the problem at {} but the service pro was never called after it (due by {})",
                    ctx.fmt(&p.report),
                    ctx.fmt(&ctx.end_of_local_day(&p.report))
                ),
            )
            .with_hint("add a `call` with party servicer"),
        );
    }
}

/// AM002.
fn check_first_message(ctx: &Ctx, p: &Progress, out: &mut Vec<Violation>) {
    if let Some(first) = p.first_attempt {
        check_follow_up(
            ctx,
            first,
            &AM002,
            "first",
            (
                "a message left for the service pro (a servicer call with outcome voicemail)",
                "an explicit note on the service job (note with on: service_job)",
            ),
            service_job_note_after,
            out,
        );
    }
}

/// AM003.
fn check_called_again(ctx: &Ctx, p: &Progress, out: &mut Vec<Violation>) {
    let Some(cb) = p.callback else { return };
    if p.second_attempt.is_none() && day_over(ctx, &cb.at) {
        out.push(Violation::new(&AM003, cb.path(""), format!("the customer called back at {}, at least {} h after the first attempt, but the service pro was not called again (due by {})", ctx.fmt(&cb.at), ctx.policy.thresholds().area_manager_wait_hours, ctx.fmt(&ctx.end_of_local_day(&cb.at)))));
    }
}

/// AM004.
fn check_second_message(ctx: &Ctx, p: &Progress, out: &mut Vec<Violation>) {
    if let Some(second) = p.second_attempt {
        check_follow_up(
            ctx,
            second,
            &AM004,
            "second",
            (
                "a second voice message (a servicer call with outcome voicemail)",
                "a Public with Email note (note with visibility public_with_email)",
            ),
            public_email_note_after,
            out,
        );
    }
}

/// Steps 1 and 2 alike: an attempt that did not reach the service pro is followed, the same
/// local day, by a voicemail and the note the step asks for.
fn check_follow_up(
    ctx: &Ctx,
    attempt: &Event,
    rule: &'static RuleInfo,
    ordinal: &str,
    (voicemail, note): (&str, &str),
    note_after: fn(&Ctx, &Event) -> bool,
    out: &mut Vec<Violation>,
) {
    if reached(attempt) || !day_over(ctx, &attempt.at) {
        return;
    }
    let mut missing = Vec::new();
    if !voicemail_after(ctx, attempt) {
        missing.push(voicemail);
    }
    if !note_after(ctx, attempt) {
        missing.push(note);
    }
    if !missing.is_empty() {
        out.push(Violation::new(
            rule,
            attempt.path("outcome"),
            format!(
                "the {ordinal} call to the service pro at {} did not reach them, and it was not followed by {}",
                ctx.fmt(&attempt.at),
                missing.join(" or ")
            ),
        ));
    }
}

/// AM005.
fn check_exception_opened(ctx: &Ctx, p: &Progress, out: &mut Vec<Violation>) {
    let Some(cb) = p.callback else { return };
    if area_manager_exceptions(ctx, p.report).next().is_none() && day_over(ctx, &cb.at) {
        out.push(
            Violation::new(&AM005, cb.path(""), format!("step 2 was reached when the customer called back at {}, but no exception was opened directed to the Area Manager", ctx.fmt(&cb.at)))
                .with_hint("add an `exception_opened` with directed_to area_manager and a legend code"),
        );
    }
}

/// AM006.
fn check_exception_code(ctx: &Ctx, e: &Event, out: &mut Vec<Violation>) {
    let EventKind::ExceptionOpened { code, .. } = &e.kind else { return };
    let codes = &ctx.policy.exception_codes;
    match code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() && codes.find(c).is_some() => {}
        Some(c) if !c.is_empty() => {
            let mut v =
                Violation::new(&AM006, e.path("code"), format!("exception code {c:?} is not in the exception legend"));
            if let Some(closest) = codes.closest(c) {
                v = v.with_hint(format!("closest legend code: {} ({})", closest.code, closest.label));
            }
            out.push(v);
        }
        _ => out.push(
            Violation::new(&AM006, e.path("code"), "the exception has no code; expected one of the exception legend")
                .with_hint(format!("one of: {}", codes.codes().collect::<Vec<_>>().join(", "))),
        ),
    }
}

/// AM007.
fn check_early_exception(ctx: &Ctx, p: &Progress, out: &mut Vec<Violation>) {
    for e in ctx.events_of(EventType::ExceptionOpened) {
        let EventKind::ExceptionOpened { risk, .. } = e.kind else { continue };
        let before_step2 = p.callback.iter().all(|cb| e.at < cb.at);
        if before_step2 && !risk {
            out.push(
                Violation::new(&AM007, e.path(""), format!("an exception was opened at {}, before step 2 was reached (a customer call-back {} h after the first attempt), and without a risk to the customer or service pro", ctx.fmt(&e.at), ctx.policy.thresholds().area_manager_wait_hours))
                    .with_hint("set risk: true when there is a potential risk to the customer or service pro"),
            );
        }
    }
}

/// The closing precondition of the Area Manager process (AM008).
pub fn check_closing(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    // A case closes only once the steps it reached are done: with a closing, every same-day
    // duty has come due, so AM001–AM005 say what is missing (validate reports the same).
    if let Some(progress) = Progress::of(ctx) {
        check_service_pro_called(ctx, &progress, out);
        check_first_message(ctx, &progress, out);
        check_called_again(ctx, &progress, out);
        check_second_message(ctx, &progress, out);
        check_exception_opened(ctx, &progress, out);
    }
    check_admin_email(ctx, closing, out);
}

/// AM008.
fn check_admin_email(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    let Some(exception) = ctx.events_of(EventType::ExceptionOpened).next() else { return };
    if !admin_emailed(ctx, closing.closed_at) {
        out.push(
            Violation::new(&AM008, "/closing", format!("an exception was opened at {} but the admin team's email to the Area Manager is not recorded before closing", ctx.fmt(&exception.at)))
                .with_hint("add an `admin_review` with emailed_area_manager true before closing"),
        );
    }
}
