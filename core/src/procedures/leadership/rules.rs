//! Escalation to leadership for irate customers (seed 004), and the sensitive-issue
//! qualifiers that warrant additional review in any procedure.

use crate::catalogue::RuleInfo;
use crate::codes::{CallOutcome, Channel, Direction, EventType, Party, TransferTarget};
use crate::labels::{key, same_key};
use crate::record::{Closing, Event, EventKind};
use crate::report::Violation;
use crate::rule;
use crate::time::{add_saturating, Timestamp};

use crate::rules::Ctx;

rule!(LD001, Error, LeadershipRequest,
    title: "the customer was not offered a review with an update within 1 day",
    sop: "Escalation to leadership, Step 2",
    source: "Ask the customer if they would allow us the opportunity to review the concern further and contact them with an update within 1 day.",
    explanation: "The request is `opened_at`. A `follow_up_offered` (accepted or refused) must be recorded at or after it. The offer belongs to the interaction itself; the project gives it until the end of the local day of the request, and the rule fires once that day has ended by `now`, or when the case was closed without an offer. The first offer with a recorded answer decides the branch.");
rule!(LD002, Error, LeadershipRequest,
    title: "follow-up accepted on a phone or chat interaction that was not converted from CXOne to an EBH ticket",
    sop: "Escalation to leadership, Step 2 (customer agrees to wait)",
    source: "Reminder: For phone calls/chats, first convert the CXOne interaction to an EBH Ticket",
    explanation: "When the customer accepted the follow-up and the case's `channel` is `phone` or `chat`, a `ticket_converted` from `cxone` to `ebh` (labels compared case-insensitively) must be recorded. The SOP says \"first convert\"; a conversion recorded later the same day is accepted (the ticket is what the follow-up needs). Fires once the local day of the acceptance has ended, or at closing. Email and web interactions need no conversion; an unknown channel is not judged.");
rule!(LD003, Error, LeadershipRequest,
    title: "follow-up accepted but no update to the customer within 1 day",
    sop: "Escalation to leadership, Step 2",
    source: "...contact them with an update within 1 day",
    explanation: "When the customer accepted, an update must reach them within `follow_up_hours` (24) elapsed hours of the acceptance: an outbound customer `call` that reached them or left a voicemail, or an `email` to the customer, after the acceptance and at or before the mark. Fires once the mark has passed by `now`, or when the case was closed before any update.");
rule!(LD004, Error, LeadershipRequest,
    title: "follow-up refused but no warm transfer to a Resolution Specialist was attempted",
    sop: "Escalation to leadership, Step 2 (customer refuses to wait)",
    source: "Attempt to warm transfer the customer to a Resolution Specialist",
    explanation: "When the customer refused to wait, a warm transfer to a Resolution Specialist (`transfer_attempt` with target `resolution_specialist`) must be attempted after the refusal, within the same interaction (judged once the local day of the refusal has ended, or at closing).");
rule!(LD005, Error, LeadershipRequest,
    title: "Resolution Specialist not available within 30 seconds, and no transfer to a Team Supervisor was attempted",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Is a Resolution Specialist available within 30 seconds? If no: Go to Step 3. Attempt to warm transfer the customer to a Team Supervisor.",
    explanation: "A Resolution Specialist attempt fails when they were not available (`available: false`), answered only after `transfer_window_seconds` (30 s; exactly 30 s is within the window), or did not accept the customer for handling (`accepted: false`: the SOP completes the transfer only if accepted). When the last Resolution Specialist attempt failed, a Team Supervisor attempt must follow it (judged once that local day has ended, or at closing).");
rule!(LD006, Error, LeadershipRequest,
    title: "Team Supervisor not available within 30 seconds, and the customer was not transferred to voicemail",
    sop: "Escalation to leadership, Step 3",
    source: "Is a Team Supervisor available within 30 seconds? If no, complete the transfer for customer to leave a voicemail. Stop.",
    explanation: "A Team Supervisor attempt fails as a Resolution Specialist attempt does (not available, over 30 s, or not accepted). When the last Team Supervisor attempt failed, a `voicemail_transfer` must follow it (judged once that local day has ended, or at closing).");
rule!(LD007, Warning, LeadershipRequest,
    title: "a transfer attempt waited longer than 30 seconds",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Is a Resolution Specialist available within 30 seconds? ... Is a Team Supervisor available within 30 seconds?",
    explanation: "Every `transfer_attempt` whose `waited_seconds` exceed `transfer_window_seconds` (30 s): the agent should have moved on at 30 s. Exactly 30 s is within the window. A warning, on `/events/N/waited_seconds`.");
rule!(LD008, Error, LeadershipRequest,
    title: "Team Supervisor tried before a Resolution Specialist",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Attempt to warm transfer the customer to a Resolution Specialist ... If no: Go to Step 3 (Team Supervisor).",
    explanation: "The first Team Supervisor attempt must come after a Resolution Specialist attempt (step 3 follows step 2). Reported on the Team Supervisor attempt.");
rule!(LD009, Error, All,
    title: "sensitive qualifiers present but the case was never flagged for review",
    sop: "Escalation to leadership, Sensitive Issues that Warrant Additional Review",
    source: "Retained or contacted a lawyer/legal counsel; Fraudulent claims; Illegal actions; Agreement violations; Falsified records; Mischaracterization; Nonregistered company; Slander; Better Business Bureau complaint; Social media complaint; Unlicensed contractor; Foreclosure notice; Lien requests from creditors against installers or homeowners; Customer privacy concerns",
    explanation: "Any procedure. `can_close` refuses a closing while a qualifier is not covered, and `next_steps` offers `flag_for_review` (never `close_escalation`) until it is. Each of the case's `sensitive_qualifiers` must be covered by a `flagged_for_review` event: one listing that qualifier (codes or labels, compared through the policy's qualifier list), or one listing no qualifiers, which covers all. One violation at `/sensitive_qualifiers` names the qualifiers not covered. The SOP gives no deadline; the project expects the flag on the day the case was opened, so the rule fires once that local day has ended by `now`, or at closing (a case not yet opened is judged at closing only).");

rule!(LD010, Error, LeadershipRequest,
    title: "leadership request closed before the process ran its course",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Ask the customer if they would allow us the opportunity to review the concern further and contact them with an update within 1 day ... If no, complete the transfer for customer to leave a voicemail. Stop.",
    explanation: "The closing precondition of a leadership request (`can_close` refuses without it). A request may close only when: the follow-up was offered; if accepted, the customer was given an update (a reached or voicemail customer call, or an email, after the acceptance); if refused, the transfer chain ended: a Resolution Specialist or Team Supervisor was available within the window and accepted the customer, or the customer was transferred to voicemail after a failed Team Supervisor attempt. Reported at `/closing`.");

pub static RULES: &[&RuleInfo] = &[&LD001, &LD002, &LD003, &LD004, &LD005, &LD006, &LD007, &LD008, &LD009, &LD010];

/// The customer's answer to the follow-up offer.
pub fn follow_up<'a>(ctx: &Ctx<'a>) -> Option<(&'a Event, bool)> {
    let opened = ctx.record.opened_at?;
    ctx.events_of(EventType::FollowUpOffered).find_map(|e| match e.kind {
        EventKind::FollowUpOffered { accepted: Some(a) } if e.at >= opened => Some((e, a)),
        _ => None,
    })
}

/// Did this transfer attempt fail (not available within the window, or not accepted)?
/// `None` when the record does not say.
pub fn transfer_failed(ctx: &Ctx, e: &Event) -> Option<bool> {
    let EventKind::TransferAttempt { waited_seconds, available, accepted, .. } = &e.kind else { return None };
    let window = f64::from(ctx.policy.thresholds().transfer_window_seconds);
    if *available == Some(false) || waited_seconds.is_some_and(|w| w > window) || *accepted == Some(false) {
        return Some(true);
    }
    if *available == Some(true) || *accepted == Some(true) {
        return Some(false);
    }
    None
}

/// Transfer attempts to `target` at or after `from`, in time order.
pub fn transfers_to<'a>(
    ctx: &Ctx<'a>,
    target: TransferTarget,
    from: Timestamp,
) -> impl Iterator<Item = &'a Event> + 'a {
    ctx.events_of(EventType::TransferAttempt).filter(move |e| {
        e.at >= from && matches!(e.kind, EventKind::TransferAttempt { target: Some(t), .. } if t == target)
    })
}

/// The channel needs the CXOne interaction converted to an EBH ticket.
pub fn needs_ticket(ctx: &Ctx) -> bool {
    matches!(ctx.record.channel, Some(Channel::Phone | Channel::Chat))
}

pub fn ticket_converted(ctx: &Ctx) -> bool {
    ctx.events_of(EventType::TicketConverted).any(|e| match &e.kind {
        EventKind::TicketConverted { from, to } => {
            from.iter().all(|f| same_key(f, "cxone")) && to.as_deref().is_some_and(|t| same_key(t, "ebh"))
        }
        _ => false,
    })
}

/// The first update given to the customer after `from` (a reached or voicemail call, or an email).
pub fn customer_update_after<'a>(ctx: &Ctx<'a>, from: &Event) -> Option<&'a Event> {
    let from_at = from.at;
    ctx.events().iter().find(|e| {
        e.at > from_at
            && matches!(
                &e.kind,
                EventKind::Call {
                    party: Some(Party::Customer),
                    outcome: Some(CallOutcome::Reached | CallOutcome::Voicemail),
                    direction: Direction::Outbound
                } | EventKind::Email { party: Some(Party::Customer) }
            )
    })
}

/// How the refused branch's transfer chain stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    /// Next: a Resolution Specialist attempt.
    NeedSpecialist,
    /// The specialist attempt failed: next, a Team Supervisor attempt.
    NeedSupervisor,
    /// The supervisor attempt failed: next, the voicemail transfer.
    NeedVoicemail,
    /// An attempt's outcome is not recorded.
    Unknown,
    /// Handed over (accepted) or sent to voicemail: the chain has ended.
    Ended,
}

pub fn chain(ctx: &Ctx, refusal: &Event) -> Chain {
    let last_rs = transfers_to(ctx, TransferTarget::ResolutionSpecialist, refusal.at).last();
    let Some(rs) = last_rs else {
        return Chain::NeedSpecialist;
    };
    match transfer_failed(ctx, rs) {
        None => return Chain::Unknown,
        Some(false) => return Chain::Ended,
        Some(true) => {}
    }
    let Some(ts) = transfers_to(ctx, TransferTarget::TeamSupervisor, rs.at).last() else {
        return Chain::NeedSupervisor;
    };
    match transfer_failed(ctx, ts) {
        None => Chain::Unknown,
        Some(false) => Chain::Ended,
        Some(true) => {
            if ctx.events_of(EventType::VoicemailTransfer).any(|v| v.at >= ts.at) {
                Chain::Ended
            } else {
                Chain::NeedVoicemail
            }
        }
    }
}

fn day_over(ctx: &Ctx, t: &Timestamp) -> bool {
    ctx.record.closing.is_some() || ctx.now >= ctx.end_of_local_day(t)
}

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    check_offered(ctx, out);
    if let Some((offer, accepted)) = follow_up(ctx) {
        if accepted {
            check_ticket(ctx, offer, out);
            check_update(ctx, offer, out);
        } else {
            check_specialist_tried(ctx, offer, out);
        }
    }
    check_supervisor_after_specialist(ctx, out);
    check_voicemail_after_supervisor(ctx, out);
    check_waits(ctx, out);
    check_order(ctx, out);
    // A closing is judged by the procedure's closing hook (`plan::closing_violations`).
}

/// LD001.
fn check_offered(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(opened) = ctx.record.opened_at else { return };
    if follow_up(ctx).is_none() && day_over(ctx, &opened) {
        out.push(
            Violation::new(
                &LD001,
                "",
                format!(
                    "the customer asked for leadership at {} but was never offered a review with an update within {} h",
                    ctx.fmt(&opened),
                    ctx.policy.thresholds().follow_up_hours
                ),
            )
            .with_hint("add a `follow_up_offered` with accepted true or false"),
        );
    }
}

/// LD002.
fn check_ticket(ctx: &Ctx, offer: &Event, out: &mut Vec<Violation>) {
    if needs_ticket(ctx) && !ticket_converted(ctx) && day_over(ctx, &offer.at) {
        out.push(
            Violation::new(&LD002, offer.path("accepted"), format!("the customer accepted the follow-up at {} on a {} interaction, but the CXOne interaction was not converted to an EBH ticket", ctx.fmt(&offer.at), ctx.record.channel.map(|c| c.code()).unwrap_or_default()))
                .with_hint("add a `ticket_converted` from cxone to ebh"),
        );
    }
}

/// LD003.
fn check_update(ctx: &Ctx, offer: &Event, out: &mut Vec<Violation>) {
    let due = add_saturating(offer.at, Ctx::hours(ctx.policy.thresholds().follow_up_hours));
    let on_time = customer_update_after(ctx, offer).is_some_and(|u| u.at <= due);
    let closed_early = ctx.record.closing.as_ref().and_then(|c| c.closed_at).is_some_and(|c| c < due);
    if !on_time && (ctx.now > due || closed_early) {
        out.push(Violation::new(
            &LD003,
            offer.path("accepted"),
            format!(
                "the customer accepted the follow-up at {} but was not updated by {}",
                ctx.fmt(&offer.at),
                ctx.fmt(&due)
            ),
        ));
    }
}

/// LD004.
fn check_specialist_tried(ctx: &Ctx, refusal: &Event, out: &mut Vec<Violation>) {
    if transfers_to(ctx, TransferTarget::ResolutionSpecialist, refusal.at).next().is_none()
        && day_over(ctx, &refusal.at)
    {
        out.push(
            Violation::new(
                &LD004,
                refusal.path("accepted"),
                format!(
                    "the customer refused to wait at {} but no warm transfer to a Resolution Specialist was attempted",
                    ctx.fmt(&refusal.at)
                ),
            )
            .with_hint("add a `transfer_attempt` with target resolution_specialist"),
        );
    }
}

/// LD005.
fn check_supervisor_after_specialist(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(opened) = ctx.record.opened_at else { return };
    let Some(rs) = transfers_to(ctx, TransferTarget::ResolutionSpecialist, opened).last() else { return };
    if transfer_failed(ctx, rs) == Some(true)
        && transfers_to(ctx, TransferTarget::TeamSupervisor, rs.at).next().is_none()
        && day_over(ctx, &rs.at)
    {
        out.push(Violation::new(&LD005, rs.path(""), format!("the Resolution Specialist was not available within {} s (or did not accept) at {}, and no warm transfer to a Team Supervisor followed", ctx.policy.thresholds().transfer_window_seconds, ctx.fmt(&rs.at))));
    }
}

/// LD006.
fn check_voicemail_after_supervisor(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(opened) = ctx.record.opened_at else { return };
    let Some(ts) = transfers_to(ctx, TransferTarget::TeamSupervisor, opened).last() else { return };
    let voicemail = ctx.events_of(EventType::VoicemailTransfer).any(|v| v.at >= ts.at);
    if transfer_failed(ctx, ts) == Some(true) && !voicemail && day_over(ctx, &ts.at) {
        out.push(Violation::new(&LD006, ts.path(""), format!("the Team Supervisor was not available within {} s (or did not accept) at {}, and the customer was not transferred to voicemail", ctx.policy.thresholds().transfer_window_seconds, ctx.fmt(&ts.at))));
    }
}

/// LD007.
fn check_waits(ctx: &Ctx, out: &mut Vec<Violation>) {
    let window = ctx.policy.thresholds().transfer_window_seconds;
    for e in ctx.events_of(EventType::TransferAttempt) {
        if let EventKind::TransferAttempt { waited_seconds: Some(w), .. } = e.kind {
            if w > f64::from(window) {
                out.push(Violation::new(
                    &LD007,
                    e.path("waited_seconds"),
                    format!(
                        "the transfer attempt at {} waited {w} s, longer than the {window} s window",
                        ctx.fmt(&e.at)
                    ),
                ));
            }
        }
    }
}

/// LD008.
fn check_order(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(first_ts) = ctx
        .events_of(EventType::TransferAttempt)
        .find(|e| matches!(e.kind, EventKind::TransferAttempt { target: Some(TransferTarget::TeamSupervisor), .. }))
    else {
        return;
    };
    let rs_before = ctx.events_of(EventType::TransferAttempt).any(|e| {
        e.at <= first_ts.at
            && e.index != first_ts.index
            && matches!(e.kind, EventKind::TransferAttempt { target: Some(TransferTarget::ResolutionSpecialist), .. })
    });
    if !rs_before {
        out.push(Violation::new(
            &LD008,
            first_ts.path("target"),
            format!("a Team Supervisor was tried at {} before any Resolution Specialist", ctx.fmt(&first_ts.at)),
        ));
    }
}

/// The record's sensitive qualifiers not covered by a `flagged_for_review`.
pub fn unflagged_qualifiers(ctx: &Ctx) -> Vec<String> {
    let flags: Vec<&Event> = ctx.events_of(EventType::FlaggedForReview).collect();
    let canon = |q: &str| ctx.policy.sensitive_qualifiers.find(q).map(|l| l.code.clone()).unwrap_or_else(|| key(q));
    ctx.record
        .sensitive_qualifiers
        .iter()
        .filter(|q| {
            let wanted = canon(q);
            !flags.iter().any(|f| match &f.kind {
                EventKind::FlaggedForReview { qualifiers } => {
                    qualifiers.is_empty() || qualifiers.iter().any(|fq| canon(fq) == wanted)
                }
                _ => false,
            })
        })
        .map(|q| q.to_string())
        .collect()
}

/// LD009, for every procedure.
pub fn check_sensitive(ctx: &Ctx, out: &mut Vec<Violation>) {
    if ctx.record.sensitive_qualifiers.is_empty() {
        return;
    }
    let due = match ctx.record.opened_at {
        Some(opened) => day_over(ctx, &opened),
        None => ctx.record.closing.is_some(),
    };
    if !due {
        return;
    }
    let missing = unflagged_qualifiers(ctx);
    if !missing.is_empty() {
        out.push(
            Violation::new(
                &LD009,
                "/sensitive_qualifiers",
                format!("the case has sensitive qualifiers that were never flagged for review: {}", missing.join(", ")),
            )
            .with_hint("add a `flagged_for_review` listing the qualifiers"),
        );
    }
}

/// What a leadership request still needs before it may close, if anything.
pub fn closing_blocker(ctx: &Ctx) -> Option<String> {
    let Some((offer, accepted)) = follow_up(ctx) else {
        return Some("the customer was never offered a review with an update (follow_up_offered)".into());
    };
    if accepted {
        if customer_update_after(ctx, offer).is_none() {
            return Some(format!(
                "the customer accepted the follow-up at {} but was never given the update",
                ctx.fmt(&offer.at)
            ));
        }
        return None;
    }
    match chain(ctx, offer) {
        Chain::Ended => None,
        Chain::NeedSpecialist => {
            Some("the customer refused to wait but no warm transfer to a Resolution Specialist was attempted".into())
        }
        Chain::NeedSupervisor => {
            Some("the Resolution Specialist was not available, and no Team Supervisor transfer was attempted".into())
        }
        Chain::NeedVoicemail => {
            Some("the Team Supervisor was not available, and the customer was not transferred to voicemail".into())
        }
        Chain::Unknown => {
            Some("the outcome of the last transfer attempt (available / accepted) is not recorded".into())
        }
    }
}

/// Closing preconditions of a leadership request (LD010): the process must have run its course.
pub fn check_closing(ctx: &Ctx, _closing: &Closing, out: &mut Vec<Violation>) {
    if let Some(blocker) = closing_blocker(ctx) {
        out.push(Violation::new(&LD010, "/closing", format!("the leadership request cannot close yet: {blocker}")));
    }
}
