//! Escalation to leadership for irate customers (seed 004), and the sensitive-issue
//! qualifiers that warrant additional review in any procedure.

use crate::catalogue::RuleInfo;
use crate::codes::{Channel, Direction, Party, TransferTarget};
use crate::record::{Closing, Event, EventKind};
use crate::time::Timestamp;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(LD001, Error, LeadershipRequest,
    title: "the customer was not offered a review with an update within 1 day",
    sop: "Escalation to leadership, Step 2",
    source: "Ask the customer if they would allow us the opportunity to review the concern further and contact them with an update within 1 day.",
    explanation: "The agent must ask the customer whether we may review the concern and contact them with an update within 1 day: a `follow_up_offered` event. The procedure puts the question at the start of the interaction, so a leadership request without it is a violation as soon as it is judged.");
rule!(LD002, Error, LeadershipRequest,
    title: "follow-up accepted on a phone or chat interaction that was not converted from CXOne to an EBH ticket",
    sop: "Escalation to leadership, Step 2 (customer agrees to wait)",
    source: "Reminder: For phone calls/chats, first convert the CXOne interaction to an EBH Ticket",
    explanation: "When the customer accepts and the interaction came by phone or chat (`channel`), the CXOne interaction must first be converted to an EBH ticket (`ticket_converted`, to `ebh`). Email and web requests already are tickets. A missing channel skips the rule.");
rule!(LD003, Error, LeadershipRequest,
    title: "follow-up accepted but no update to the customer within 1 day",
    sop: "Escalation to leadership, Step 2",
    source: "...contact them with an update within 1 day",
    explanation: "An accepted follow-up promises an update within 1 day: a call or email to the customer within `thresholds.follow_up_hours` (24) of the acceptance. Fires once that time has passed without one (or the case closed without one).");
rule!(LD004, Error, LeadershipRequest,
    title: "follow-up refused but no warm transfer to a Resolution Specialist was attempted",
    sop: "Escalation to leadership, Step 2 (customer refuses to wait)",
    source: "Attempt to warm transfer the customer to a Resolution Specialist",
    explanation: "A customer who refuses to wait must be warm-transferred: at least one `transfer_attempt` to a Resolution Specialist after the refusal.");
rule!(LD005, Error, LeadershipRequest,
    title: "Resolution Specialist not available within 30 seconds, and no transfer to a Team Supervisor was attempted",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Is a Resolution Specialist available within 30 seconds? If no: Go to Step 3. Attempt to warm transfer the customer to a Team Supervisor.",
    explanation: "A Resolution Specialist attempt that did not take the customer — not available, not accepted, or not answered within `thresholds.transfer_window_seconds` (30) — must be followed by a warm transfer attempt to a Team Supervisor (Step 3). A specialist who accepted ends the chain.");
rule!(LD006, Error, LeadershipRequest,
    title: "Team Supervisor not available within 30 seconds, and the customer was not transferred to voicemail",
    sop: "Escalation to leadership, Step 3",
    source: "Is a Team Supervisor available within 30 seconds? If no, complete the transfer for customer to leave a voicemail. Stop.",
    explanation: "A Team Supervisor attempt that did not take the customer (not available, not accepted, or over 30 seconds) must be followed by a `voicemail_transfer`: \"complete the transfer for customer to leave a voicemail. Stop.\"");
rule!(LD007, Warning, LeadershipRequest,
    title: "a transfer attempt waited longer than 30 seconds",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Is a Resolution Specialist available within 30 seconds? ... Is a Team Supervisor available within 30 seconds?",
    explanation: "Each warm transfer waits at most `thresholds.transfer_window_seconds` (30) for availability; a `transfer_attempt` whose `waited_seconds` is over that kept the customer on hold too long (a warning: the transfer may still have succeeded). Exactly 30 seconds is within the window.");
rule!(LD008, Error, LeadershipRequest,
    title: "Team Supervisor tried before a Resolution Specialist",
    sop: "Escalation to leadership, Steps 2-3",
    source: "Attempt to warm transfer the customer to a Resolution Specialist ... If no: Go to Step 3 (Team Supervisor).",
    explanation: "The order is Resolution Specialist (Step 2), then Team Supervisor (Step 3): a Team Supervisor attempt with no earlier Resolution Specialist attempt skips a step.");
rule!(LD009, Error, All,
    title: "sensitive qualifiers present but the case was never flagged for review",
    sop: "Escalation to leadership, Sensitive Issues that Warrant Additional Review",
    source: "Retained or contacted a lawyer/legal counsel; Fraudulent claims; Illegal actions; Agreement violations; Falsified records; Mischaracterization; Nonregistered company; Slander; Better Business Bureau complaint; Social media complaint; Unlicensed contractor; Foreclosure notice; Lien requests from creditors against installers or homeowners; Customer privacy concerns",
    explanation: "Applies to every procedure. When the case lists sensitive qualifiers (the 14 of the policy: lawyer, fraudulent claims, …, customer privacy concerns), it must be sent for additional review: a `flagged_for_review` event covering each qualifier (a flag that lists no qualifiers covers them all). One violation per qualifier not covered, at its path.");

rule!(LD010, Error, LeadershipRequest,
    title: "closed before the leadership request was handled (no update after an accepted follow-up, or the transfer chain not ended)",
    sop: "Escalation to leadership, Steps 2-3 (closing precondition)",
    source: "Customer agrees to wait for a follow-up: ... contact them with an update within 1 day. Customer refuses: warm transfer ... If no, complete the transfer for customer to leave a voicemail. Stop.",
    explanation: "A leadership request may only close once the procedure has run its course: an accepted follow-up has had its update to the customer; a refused one ended with a transfer that was accepted, or with the customer's voicemail. The procedure does not say this in words; it is the closing precondition that the matrix implies (added by escalint, checked by can_close and on the record's closing).");

pub static RULES: &[&RuleInfo] = &[&LD001, &LD002, &LD003, &LD004, &LD005, &LD006, &LD007, &LD008, &LD009, &LD010];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    let state = Conversation::of(ctx);
    follow_up_offered(ctx, &state, out);
    ticket_converted(ctx, &state, out);
    update_within_a_day(ctx, &state, out);
    transfers_follow_the_matrix(ctx, &state, out);
    if let Some(closing) = &ctx.record.closing {
        check_closing(ctx, closing, out);
    }
}

/// What happened in a leadership request, read from its events.
#[derive(Debug, Clone, Default)]
pub struct Conversation<'a> {
    /// The last follow-up offer and the customer's answer.
    pub offer: Option<&'a Event>,
    pub accepted: Option<bool>,
    /// Warm transfer attempts, in time order.
    pub transfers: Vec<&'a Event>,
    pub voicemail: Option<&'a Event>,
}

impl<'a> Conversation<'a> {
    pub fn of(ctx: &Ctx<'a>) -> Self {
        let offer = ctx.events().iter().rev().find(|e| matches!(e.kind, EventKind::FollowUpOffered { .. }));
        let accepted = offer.and_then(|e| match e.kind {
            EventKind::FollowUpOffered { accepted } => accepted,
            _ => None,
        });
        Conversation {
            offer,
            accepted,
            transfers: ctx.events().iter().filter(|e| matches!(e.kind, EventKind::TransferAttempt { .. })).collect(),
            voicemail: ctx.events().iter().find(|e| matches!(e.kind, EventKind::VoicemailTransfer)),
        }
    }

    /// Transfer attempts to one target.
    pub fn attempts(&self, target: TransferTarget) -> impl Iterator<Item = &&'a Event> {
        self.transfers.iter().filter(move |e| matches!(e.kind, EventKind::TransferAttempt { target: Some(t), .. } if t == target))
    }
}

/// Whether a transfer attempt took the customer: available within the window and accepted.
pub fn transfer_took_customer(ctx: &Ctx, attempt: &Event) -> bool {
    let window = f64::from(ctx.policy.thresholds().transfer_window_seconds);
    match attempt.kind {
        EventKind::TransferAttempt { available, accepted, waited_seconds, .. } => {
            available == Some(true) && accepted != Some(false) && waited_seconds.is_none_or(|w| w <= window)
        }
        _ => false,
    }
}

/// The customer update that an accepted follow-up promises: a call or email to the customer.
pub fn customer_update_after<'a>(ctx: &Ctx<'a>, from: &Timestamp) -> Option<&'a Event> {
    ctx.events().iter().find(|e| {
        e.at >= *from
            && matches!(
                e.kind,
                EventKind::Call { party: Some(Party::Customer), direction: Direction::Outbound, .. } | EventKind::Email { party: Some(Party::Customer) }
            )
    })
}

/// LD001: Step 2 — offer a review with an update within 1 day.
fn follow_up_offered(ctx: &Ctx, state: &Conversation, out: &mut Vec<Violation>) {
    if state.offer.is_none() && ctx.record.opened_at.is_some() {
        out.push(Violation::new(
            &LD001,
            "/events",
            format!("the customer was not asked to let us review the concern and update them within {} h (no follow_up_offered event)", ctx.policy.thresholds().follow_up_hours),
        ));
    }
}

/// LD002: accepted on phone or chat — convert the CXOne interaction to an EBH ticket first.
fn ticket_converted(ctx: &Ctx, state: &Conversation, out: &mut Vec<Violation>) {
    let (Some(offer), Some(true)) = (state.offer, state.accepted) else { return };
    if !matches!(ctx.record.channel, Some(Channel::Phone | Channel::Chat)) {
        return;
    }
    let converted = ctx.events().iter().any(|e| match &e.kind {
        EventKind::TicketConverted { to, .. } => to.as_deref().is_none_or(|t| crate::labels::key(t) == "ebh"),
        _ => false,
    });
    if !converted {
        out.push(Violation::new(
            &LD002,
            offer.path("accepted"),
            format!(
                "the customer accepted the follow-up on a {} interaction, but the CXOne interaction was not converted to an EBH ticket",
                ctx.record.channel.map(|c| c.code()).unwrap_or("phone")
            ),
        ));
    }
}

/// LD003: accepted — update the customer within 1 day.
fn update_within_a_day(ctx: &Ctx, state: &Conversation, out: &mut Vec<Violation>) {
    let (Some(offer), Some(true)) = (state.offer, state.accepted) else { return };
    let deadline = offer.at + Ctx::hours(ctx.policy.thresholds().follow_up_hours);
    let updated_in_time = customer_update_after(ctx, &offer.at).is_some_and(|u| u.at <= deadline);
    let closed = ctx.record.closing.is_some();
    if !updated_in_time && (ctx.now > deadline || closed) {
        out.push(Violation::new(
            &LD003,
            offer.path(""),
            format!("the customer accepted a follow-up at {} but was not updated by {}", ctx.fmt(&offer.at), ctx.fmt(&deadline)),
        ));
    }
}

/// LD004–LD008: the warm-transfer matrix of Steps 2 and 3.
fn transfers_follow_the_matrix(ctx: &Ctx, state: &Conversation, out: &mut Vec<Violation>) {
    let window = ctx.policy.thresholds().transfer_window_seconds;
    if let (Some(offer), Some(false)) = (state.offer, state.accepted) {
        if state.attempts(TransferTarget::ResolutionSpecialist).next().is_none() {
            out.push(Violation::new(
                &LD004,
                offer.path("accepted"),
                "the customer refused to wait for a follow-up, but no warm transfer to a Resolution Specialist was attempted",
            ));
        }
    }
    for attempt in state.attempts(TransferTarget::ResolutionSpecialist) {
        let supervisor_after = state.attempts(TransferTarget::TeamSupervisor).any(|t| t.at >= attempt.at);
        if !transfer_took_customer(ctx, attempt) && !supervisor_after && !rs_taken_later(ctx, state, attempt) {
            out.push(Violation::new(
                &LD005,
                attempt.path(""),
                format!("the Resolution Specialist did not take the customer within {window} s at {}, and no warm transfer to a Team Supervisor followed", ctx.fmt(&attempt.at)),
            ));
        }
    }
    for attempt in state.attempts(TransferTarget::TeamSupervisor) {
        let voicemail_after = state.voicemail.is_some_and(|v| v.at >= attempt.at);
        let taken_later = state.attempts(TransferTarget::TeamSupervisor).any(|t| t.at > attempt.at && transfer_took_customer(ctx, t));
        if !transfer_took_customer(ctx, attempt) && !voicemail_after && !taken_later {
            out.push(Violation::new(
                &LD006,
                attempt.path(""),
                format!("the Team Supervisor did not take the customer within {window} s at {}, and the customer was not transferred to voicemail", ctx.fmt(&attempt.at)),
            ));
        }
    }
    for attempt in &state.transfers {
        if let EventKind::TransferAttempt { waited_seconds: Some(w), .. } = attempt.kind {
            if w > f64::from(window) {
                out.push(Violation::new(
                    &LD007,
                    attempt.path("waited_seconds"),
                    format!("the transfer attempt waited {w} s for an answer; the procedure allows {window} s"),
                ));
            }
        }
    }
    if let Some(first_ts) = state.attempts(TransferTarget::TeamSupervisor).next() {
        if !state.attempts(TransferTarget::ResolutionSpecialist).any(|rs| rs.at <= first_ts.at) {
            out.push(Violation::new(
                &LD008,
                first_ts.path("target"),
                "a Team Supervisor was tried before any Resolution Specialist; Step 2 comes before Step 3",
            ));
        }
    }
}

/// A later Resolution Specialist attempt that took the customer makes an earlier miss moot.
fn rs_taken_later(ctx: &Ctx, state: &Conversation, attempt: &Event) -> bool {
    state.attempts(TransferTarget::ResolutionSpecialist).any(|t| t.at > attempt.at && transfer_took_customer(ctx, t))
}

/// LD009, for every procedure: sensitive issues are sent for additional review.
pub fn check_sensitive(ctx: &Ctx, out: &mut Vec<Violation>) {
    let known = &ctx.policy.sensitive_qualifiers;
    let canonical = |q: &str| known.find(q).map(|l| l.code.clone()).unwrap_or_else(|| crate::labels::key(q));
    let flags: Vec<&Vec<String>> = ctx
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::FlaggedForReview { qualifiers } => Some(qualifiers),
            _ => None,
        })
        .collect();
    for (i, q) in ctx.record.sensitive_qualifiers.iter().enumerate() {
        let wanted = canonical(q);
        let covered = flags.iter().any(|listed| listed.is_empty() || listed.iter().any(|l| canonical(l) == wanted));
        if !covered {
            out.push(
                Violation::new(&LD009, format!("/sensitive_qualifiers/{i}"), format!("sensitive qualifier \"{q}\" is present but the case was never flagged for review for it"))
                    .with_hint("add a flagged_for_review event listing the qualifier"),
            );
        }
    }
}

/// What still stands between a leadership request and its closing, if anything.
pub fn unfinished(ctx: &Ctx, until: &Timestamp) -> Option<String> {
    let state = Conversation::of(ctx);
    match (state.offer, state.accepted) {
        (None, _) => Some("the customer was never offered a follow-up".into()),
        (Some(_), None) => Some("the customer's answer to the follow-up offer is not recorded".into()),
        (Some(offer), Some(true)) => match customer_update_after(ctx, &offer.at) {
            Some(u) if u.at <= *until => None,
            _ => Some("the customer accepted a follow-up but has not been updated".into()),
        },
        (Some(_), Some(false)) => {
            let taken = state.transfers.iter().any(|t| t.at <= *until && transfer_took_customer(ctx, t));
            let voicemail = state.voicemail.is_some_and(|v| v.at <= *until);
            if taken || voicemail {
                None
            } else {
                Some("the customer refused to wait, and no transfer took them nor were they transferred to voicemail".into())
            }
        }
    }
}

/// LD010: a leadership request closes only once the procedure has run its course.
pub fn check_closing(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    let until = closing.closed_at.unwrap_or(ctx.now);
    if let Some(what) = unfinished(ctx, &until) {
        out.push(Violation::new(&LD010, "/closing", format!("the leadership request is not handled yet: {what}")));
    }
}
