//! Next steps of an escalation to leadership (seed 004): offer the follow-up; if accepted,
//! convert the interaction to an EBH ticket (phone/chat) and update the customer within 1 day;
//! if refused, warm transfer to a Resolution Specialist, then a Team Supervisor, then voicemail.
//! Also the sensitive-issue flag that every procedure uses.

use crate::codes::{EventType, TransferTarget};
use crate::record::EventKind;
use crate::report::{Action, CaseState, Step};
use crate::procedures::leadership::rules::{
    chain, customer_update_after, follow_up, needs_ticket, ticket_converted, unflagged_qualifiers, Chain,
};
use crate::procedures::leadership::rules::{LD001, LD002, LD003, LD004, LD005, LD006, LD009};
use crate::rules::Ctx;
use crate::time::add_saturating;

/// The state of the case and its steps, most urgent first.
pub fn plan(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    let mut steps = Vec::new();
    if ctx.record.closing.is_none() {
        procedure_steps(ctx, &mut steps);
        steps.extend(flag_step(ctx));
        steps.extend(crate::plan::closing::close_step(ctx));
    }
    (crate::plan::state_of(ctx, &steps), steps)
}

fn procedure_steps(ctx: &Ctx, steps: &mut Vec<Step>) {
    let Some(opened) = ctx.record.opened_at else { return };
    let window = ctx.policy.thresholds().transfer_window_seconds;
    let Some((offer, accepted)) = follow_up(ctx) else {
        steps.push(Step::new(
            Action::OfferFollowUp,
            &LD001,
            Some(ctx.end_of_local_day(&opened)),
            format!(
                "ask the customer to let us review the concern and contact them with an update within {} h",
                ctx.policy.thresholds().follow_up_hours
            ),
            Some("customer"),
        ));
        return;
    };
    if accepted {
        if needs_ticket(ctx) && !ticket_converted(ctx) {
            steps.push(Step::new(Action::ConvertToEbhTicket, &LD002, Some(ctx.end_of_local_day(&offer.at)),
                "the customer agreed to wait on a phone/chat interaction: convert the CXOne interaction to an EBH ticket".into(), None));
        }
        if customer_update_after(ctx, offer).is_none() {
            let due = add_saturating(offer.at, Ctx::hours(ctx.policy.thresholds().follow_up_hours));
            steps.push(Step::new(
                Action::UpdateCustomer,
                &LD003,
                Some(ctx.local(&due)),
                format!("the customer accepted the follow-up at {}: contact them with an update", ctx.fmt(&offer.at)),
                Some("customer"),
            ));
        }
        return;
    }
    let due = Some(ctx.end_of_local_day(&offer.at));
    let specialist = || {
        Step::new(Action::WarmTransferResolutionSpecialist, &LD004, due,
        format!("the customer refused to wait: warm transfer to a Resolution Specialist (available within {window} s?); tell the customer they may be asked to leave a voicemail"),
        Some("resolution_specialist"))
    };
    let supervisor = || {
        Step::new(
            Action::WarmTransferTeamSupervisor,
            &LD005,
            due,
            format!("no Resolution Specialist accepted within {window} s: warm transfer to a Team Supervisor"),
            Some("team_supervisor"),
        )
    };
    match chain(ctx, offer) {
        Chain::NeedSpecialist => steps.push(specialist()),
        Chain::NeedSupervisor => steps.push(supervisor()),
        Chain::NeedVoicemail => steps.push(Step::new(Action::TransferToVoicemail, &LD006, due,
            format!("no Team Supervisor accepted within {window} s: complete the transfer for the customer to leave a voicemail"), None)),
        Chain::Unknown => {
            // The last attempt's outcome is missing: repeat (and record) that attempt.
            let last = ctx.events_of(EventType::TransferAttempt).filter(|e| e.at >= offer.at).last();
            match last.map(|e| &e.kind) {
                Some(EventKind::TransferAttempt { target: Some(TransferTarget::TeamSupervisor), .. }) => steps.push(supervisor()),
                _ => steps.push(specialist()),
            }
        }
        Chain::Ended => {}
    }
}

/// `flag_for_review` when the case has sensitive qualifiers not yet flagged (LD009); any
/// procedure's plan may add it. `options`: the qualifiers to flag.
pub fn flag_step(ctx: &Ctx) -> Option<Step> {
    if ctx.record.closing.is_some() {
        return None;
    }
    let missing = unflagged_qualifiers(ctx);
    if missing.is_empty() {
        return None;
    }
    let options = missing
        .iter()
        .map(|q| ctx.policy.sensitive_qualifiers.find(q).map(|l| l.code.clone()).unwrap_or_else(|| q.clone()))
        .collect();
    let due = ctx.record.opened_at.map(|o| ctx.end_of_local_day(&o));
    let why = format!("sensitive issues warrant additional review: {}", missing.join(", "));
    Some(Step::new(Action::FlagForReview, &LD009, due, why, None).with_options(Some(options)))
}
