//! Next steps for a Field Management Support case: the reschedule conversation before the
//! escalation is opened (seed 001), then the coverage hunt while it is open (seed 000), in the
//! order the procedures give them. Every step names the rule it serves; a step is only proposed
//! when doing it now cannot make that rule (or another) fire.

use crate::codes::{Party, Priority};
use crate::record::{EventKind, MarketManagerLookup};
use crate::report::{Action, CaseState, Step};
use crate::procedures::fms::rules::{self as rules, CallbackDue};
use crate::procedures::fms::rules::{FMS001, FMS010, FMS011, FMS020, FMS021, FMS022, FMS023, FMS030, FMS032};
use crate::procedures::fms::reschedule::RescheduleSteps;
use crate::procedures::fms::reschedule::{RS002, RS003, RS004, RS005, RS007};
use crate::rules::Ctx;
use crate::time::Timestamp;

/// The state of the case and its steps, most urgent first.
pub fn plan(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    if ctx.record.closing.is_some() {
        return (crate::plan::state_of(ctx, &[]), Vec::new());
    }
    let Some(opened) = ctx.record.opened_at else {
        return (CaseState::NotOpened, reschedule_steps(ctx));
    };
    let mut steps = Vec::new();
    match &ctx.record.market_manager {
        MarketManagerLookup::NotDone => steps.push(Step::new(
            Action::LookupMarketManager,
            &FMS001,
            None,
            "Use the \"Zip to Market Manager to Region\" look-up to find whether the customer's area has a Market Manager; the answer decides how coverage is found".into(),
            None,
        )),
        MarketManagerLookup::Manager { name, .. } => with_market_manager(ctx, name, &mut steps),
        MarketManagerLookup::NoManager => without_market_manager(ctx, &opened, &mut steps),
    }
    alternate_dates(ctx, &mut steps);
    call_backs(ctx, &mut steps);
    if !job_done(ctx) {
        steps.push(Step::new(
            Action::WaitForJobCompletion,
            &FMS032,
            None,
            "Do not close the Field Management Support escalation until the job is completed".into(),
            None,
        ));
    }
    steps.extend(crate::plan::timeliness::steps(ctx));
    steps.extend(crate::procedures::leadership::plan::flag_step(ctx));
    steps.extend(crate::plan::closing::close_step(ctx));
    order_by_urgency(ctx, &mut steps);
    (crate::plan::state_of(ctx, &steps), steps)
}

/// The reschedule conversation (seed 001, steps 1–5), skipping what is done. An accepted date
/// ends it: the job is rescheduled and there is nothing to escalate.
fn reschedule_steps(ctx: &Ctx) -> Vec<Step> {
    let until = ctx.events().last().map_or(ctx.now, |e| e.at.max(ctx.now));
    let done = RescheduleSteps::by(ctx, &until);
    if done.dates_accepted && !done.dates_refused {
        return Vec::new();
    }
    let offered = ctx.events().iter().any(|e| matches!(e.kind, EventKind::RescheduleOffered { .. }));
    let mut steps = Vec::new();
    // Once dates were offered, determining the reason first is no longer possible (RS007 has
    // already spoken); proposing it then would be noise.
    if !done.reason_determined && !offered {
        steps.push(Step::new(
            Action::DetermineRescheduleReason,
            &RS007,
            None,
            "Find out why the order is being rescheduled and the next soonest date it can be done (this may mean calling the assigned servicer)".into(),
            Some(Party::Servicer.code()),
        ));
    }
    if !done.dates_refused {
        steps.push(Step::new(
            Action::OfferRescheduleDates,
            &RS002,
            None,
            "Offer the customer the available dates (from DOLI or the servicer); if they refuse every date, tell them we will look for alternate coverage".into(),
            Some(Party::Customer.code()),
        ));
    }
    // Without a trigger (a job today or tomorrow, or the 2nd missed appointment) there is
    // nothing to escalate: opening would break RS001, so only the reschedule itself is proposed.
    if !escalation_warranted(ctx) {
        return steps;
    }
    if !done.callback_set {
        steps.push(Step::new(
            Action::SetCallbackTime,
            &RS003,
            None,
            "Agree a call-back time with the customer: we call when field leadership responds or by that time, whichever is first".into(),
            Some(Party::Customer.code()),
        ));
    }
    if !done.status_rejected {
        steps.push(Step::new(
            Action::SetStatusPrescheduledRejected,
            &RS004,
            None,
            "Change the job status to \"Prescheduled – Rejected\"".into(),
            None,
        ));
    }
    let form = ctx.policy.fms_form();
    steps.push(Step::new(
        Action::OpenFmsEscalation,
        &RS005,
        None,
        format!(
            "Open the escalation: for \"{}\", installer A# = the servicer's, escalator = the customer (name and phone), title \"{}\", ownership \"{}\", type \"{}\"; notes with the preferred date, the reason and any compensation request",
            form.escalation_for, form.escalator_title, form.ownership, form.escalation_type
        ),
        None,
    ));
    steps
}

/// RS001's triggers, judged on the local day the escalation would be opened (now). Missing
/// inputs are not guessed: without a scheduled date the escalation is not held back.
fn escalation_warranted(ctx: &Ctx) -> bool {
    let Some(order) = &ctx.record.order else { return true };
    if order.missed_appointments >= 2 {
        return true;
    }
    let Some(scheduled) = order.scheduled_for else { return true };
    let today = ctx.local_date(&ctx.now);
    scheduled == today || today.succ_opt() == Some(scheduled)
}

/// Seed 000 step 1a: servicer first, then the Market Manager (email before call).
fn with_market_manager(ctx: &Ctx, name: &str, steps: &mut Vec<Step>) {
    if coverage_found(ctx) {
        return;
    }
    let servicer_called = rules::first_call_to(ctx, Party::Servicer).is_some();
    let mm_contacted = ctx.events().iter().any(rules::is_market_manager_contact);
    if !servicer_called {
        if !mm_contacted {
            steps.push(Step::new(
                Action::CallAssignedServicer,
                &FMS010,
                None,
                "Call the assigned servicer and ask whether they can cover the job on the customer's requested date/time".into(),
                Some(Party::Servicer.code()),
            ));
        }
        // The Market Manager comes only after the servicer (FMS010).
        return;
    }
    if mm_contacted {
        return;
    }
    let may_call_first =
        ctx.record.priority == Priority::HighlyEscalated || ctx.calls_with(Party::Customer).count() >= 2;
    if may_call_first {
        steps.push(Step::new(
            Action::CallMarketManager,
            &FMS011,
            None,
            format!("Call the Market Manager ({name}) for coverage: the case is highly escalated or repeated contacts made no progress, so calling before emailing is allowed"),
            Some(Party::MarketManager.code()),
        ));
    }
    steps.push(Step::new(
        Action::EmailMarketManager,
        &FMS011,
        None,
        format!("Email the Market Manager ({name}) asking for help locating coverage for the customer"),
        Some(Party::MarketManager.code()),
    ));
}

/// Seed 000 step 1b: StoreFile providers in order, then the Market Manager; the customer is
/// updated within the policy's minutes of starting work.
fn without_market_manager(ctx: &Ctx, opened: &Timestamp, steps: &mut Vec<Step>) {
    let (deadline, updated) = rules::customer_update(ctx, opened);
    if !updated {
        steps.push(Step::new(
            Action::CallCustomerUpdate,
            &FMS022,
            Some(ctx.local(&deadline)),
            format!(
                "Within {} minutes of starting to work the job, call the customer with a progress update, whatever the status",
                ctx.policy.thresholds().customer_update_minutes
            ),
            Some(Party::Customer.code()),
        ));
    }
    if coverage_found(ctx) {
        return;
    }
    let next_provider = rules::listed_providers(ctx).into_iter().find(|p| rules::first_call_to(ctx, *p).is_none());
    if let Some(provider) = next_provider {
        steps.push(Step::new(
            Action::CallProvider,
            &FMS020,
            None,
            "Call the next StoreFile provider for the selling store and ask them to cover the job on the customer's preferred date/time; stress it is a high-priority job".into(),
            Some(provider.code()),
        ));
    } else if !ctx.events().iter().any(rules::is_market_manager_contact) {
        steps.push(Step::new(
            Action::ContactMarketManager,
            &FMS021,
            None,
            "Every StoreFile provider was tried without coverage: reach out to the Market Manager for coverage assistance".into(),
            Some(Party::MarketManager.code()),
        ));
    }
}

/// Whether anyone confirmed coverage (a provider or the Market Manager found a date, or the
/// job was rebooked): the hunt is over.
fn coverage_found(ctx: &Ctx) -> bool {
    ctx.events().iter().any(|e| {
        matches!(
            e.kind,
            EventKind::CoverageFound { .. }
                | EventKind::Rescheduled { .. }
                | EventKind::MarketManagerResponse { coverage_found: Some(true) }
        )
    })
}

/// 1b.iv.1 (and any confirmed coverage): offer the alternate date, and book it once accepted.
fn alternate_dates(ctx: &Ctx, steps: &mut Vec<Step>) {
    for (found, due) in rules::unoffered_coverage(ctx) {
        let EventKind::CoverageFound { date, .. } = &found.kind else { continue };
        let mut offer = Step::new(
            Action::OfferAlternateDate,
            &FMS023,
            Some(ctx.local(&due)),
            "A provider confirmed they can cover the job on another date: offer the customer that date".into(),
            Some(Party::Customer.code()),
        );
        offer.options = date.map(|d| vec![d.to_string()]);
        steps.push(offer);
    }
    // An offered alternate date the customer accepted but that is not booked yet.
    for found in ctx.events() {
        let EventKind::CoverageFound { party, date: Some(date) } = &found.kind else { continue };
        let accepted = ctx.events().iter().any(|e| {
            e.at >= found.at
                && matches!(&e.kind, EventKind::RescheduleOffered { accepted_date: Some(a), .. } if a == date)
        });
        let booked = ctx
            .events()
            .iter()
            .any(|e| e.at >= found.at && matches!(&e.kind, EventKind::Rescheduled { date: Some(b), .. } if b == date));
        if accepted && !booked {
            let mut book = Step::new(
                Action::RescheduleAndBook,
                &FMS023,
                None,
                format!("The customer accepted {date}: reschedule the job and book it to the provider who offered that date"),
                party.map(Party::code),
            );
            book.options = Some(vec![date.to_string()]);
            steps.push(book);
        }
    }
}

/// 1a.vi / 1b.v: call the customer back at the call-back time or on the Market Manager's
/// reply, whichever comes first. Only the call-back still standing (not kept, not replaced).
fn call_backs(ctx: &Ctx, steps: &mut Vec<Step>) {
    let open: Vec<CallbackDue> = rules::callbacks(ctx).into_iter().filter(|cb| !cb.kept && !cb.superseded).collect();
    let Some(cb) = open.last() else { return };
    let why = if cb.by_market_manager {
        "The Market Manager responded: call the customer back now (before the agreed call-back time)".to_string()
    } else {
        let waiting_on_mm = matches!(ctx.record.market_manager, MarketManagerLookup::Manager { .. })
            || ctx.events().iter().any(rules::is_market_manager_contact);
        if waiting_on_mm {
            "Call the customer back by the agreed call-back time, or as soon as the Market Manager responds if that comes first".to_string()
        } else {
            "Call the customer back by the agreed call-back time".to_string()
        }
    };
    steps.push(Step::new(
        Action::CallCustomerBack,
        &FMS030,
        Some(ctx.local(&cb.due)),
        why,
        Some(Party::Customer.code()),
    ));
}

fn job_done(ctx: &Ctx) -> bool {
    let until = ctx.events().last().map_or(ctx.now, |e| e.at.max(ctx.now));
    rules::job_completed_by(ctx, &until) || rules::order_cancelled(ctx)
}

/// Most urgent first: overdue steps by deadline, then what can be done now (no deadline) in the
/// procedure's order, then future deadlines; waiting for the job and closing come last.
fn order_by_urgency(ctx: &Ctx, steps: &mut [Step]) {
    let key = |s: &Step| -> (u8, Timestamp) {
        let due = s.due_by;
        match (s.action, due) {
            (Action::WaitForJobCompletion | Action::CloseEscalation, _) => (2, due.unwrap_or(ctx.now)),
            (_, Some(d)) if d > ctx.now => (1, d),
            (_, Some(d)) => (0, d),
            (_, None) => (0, ctx.now),
        }
    };
    steps.sort_by_key(key);
}
