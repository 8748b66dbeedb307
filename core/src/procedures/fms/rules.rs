//! Working Field Management Support escalations (seed 000): finding alternate coverage,
//! keeping the customer informed, and not closing before the job is done.

use crate::catalogue::RuleInfo;
use crate::codes::{Basis, Direction, Party, Priority};
use crate::record::{Closing, Event, EventKind, MarketManagerLookup};
use crate::report::Violation;
use crate::rule;
use crate::time::{add_saturating, Timestamp};

use crate::rules::Ctx;

rule!(FMS001, Error, FieldManagementSupport,
    title: "Market Manager look-up not recorded",
    sop: "Working FMS escalations, step 1",
    source: "Use the \"Zip to Market Manager to Region\" lookup to determine if there is a Market Manager for the customer's area.",
    explanation: "Step 1 starts every FMS escalation with the \"Zip to Market Manager to Region\" look-up; its result decides the branch. A record without `market_manager` has not done it (`{\"name\": null}` records a look-up that found no Market Manager). The look-up is the first thing done after opening, so a case opened a minute ago is not yet in breach: the rule fires once the escalation was worked without it (a call or email to the servicer, a StoreFile provider or the Market Manager at or after opening — those steps depend on the look-up's answer), once it was closed, or once the local day of opening has ended.");
rule!(FMS010, Error, FieldManagementSupport,
    title: "(Market Manager) Market Manager contacted before the assigned servicer was ever called",
    sop: "Working FMS escalations, step 1a.i-ii",
    source: "If the assigned servicer has not already been contacted, call the assigned servicer and ask if they can cover the job on the customer's requested date/time. If the assigned servicer has already been contacted or is not reachable, email the Market Manager.",
    explanation: "With a Market Manager, the assigned servicer is asked first (1a.i); only when the servicer \"has already been contacted or is not reachable\" does the agent turn to the Market Manager (1a.ii). Any earlier call to the servicer — including one made while determining the reschedule reason, before opening — counts as contacted. Fires at the first call or email to the Market Manager when no servicer call precedes it.");
rule!(FMS011, Warning, FieldManagementSupport,
    title: "(Market Manager) Market Manager called before being emailed, though the case is not highly escalated and fewer than 2 customer contacts preceded it",
    sop: "Working FMS escalations, step 1a.ii.1",
    source: "If the customer is highly escalated, or multiple contacts have resulted in no progress, agents may call the Market Manager before emailing.",
    explanation: "The Market Manager is emailed first; calling first is allowed when the case is `highly_escalated` or \"multiple contacts have resulted in no progress\", read as at least 2 customer calls before the Market Manager call. Otherwise a call to the Market Manager with no earlier email to them is a warning.");
rule!(FMS020, Error, FieldManagementSupport,
    title: "(no Market Manager) providers called out of order (primary, then secondary, then tertiary)",
    sop: "Working FMS escalations, step 1b.i-ii",
    source: "Use StoreFile to identify the Primary, Secondary, and Tertiary provider for the selling store... Call each company and ask if they are able to cover the job.",
    explanation: "Without a Market Manager, the StoreFile providers are called in order: primary, then secondary, then tertiary (1b.i–ii). A call to a provider before every higher-ranked provider listed in `store_providers` was called is out of order (reported at that call). Tiers missing from store_providers are skipped.");
rule!(FMS021, Warning, FieldManagementSupport,
    title: "(no Market Manager) Market Manager / field leadership asked for coverage before all three providers were tried",
    sop: "Working FMS escalations, step 1b.iii",
    source: "If you do not find alternate coverage, reach out to the Market Manager for coverage assistance.",
    explanation: "Only if the providers cannot cover the job does the agent reach out to the Market Manager (1b.iii): a call or email to the Market Manager before every listed provider was called is a warning.");
rule!(FMS022, Error, FieldManagementSupport,
    title: "(no Market Manager) no customer update call within 15 minutes of starting to work the job",
    sop: "Working FMS escalations, step 1b.iv",
    source: "After working the job for no more than 15 minutes, call the customer to update them on your progress, no matter what the status update.",
    explanation: "\"After working the job for no more than 15 minutes, call the customer\": working starts at the first `work_started` at or after opening (else at opening), and an outbound customer call must follow within `thresholds.customer_update_minutes` (15). Any outcome counts (a voicemail is an update attempt). The rule fires once that window has passed. It applies to the no-Market-Manager branch, where the procedure states it.");
rule!(FMS023, Warning, FieldManagementSupport,
    title: "a provider offered another date but it was not offered to the customer",
    sop: "Working FMS escalations, step 1b.iv.1",
    source: "If you spoke with a service provider who confirmed that they could cover the job on a different date, offer to reschedule the customer's service to this date.",
    explanation: "If a provider (or the Market Manager) confirmed they can cover the job on another date (`coverage_found` with a date), that date must be offered to the customer — a later `reschedule_offered` whose dates include it, or a `rescheduled` to it. Fires once `customer_update_minutes` have passed after the coverage was found without such an offer. Applies in both branches.");
rule!(FMS030, Error, FieldManagementSupport,
    title: "a call-back time passed without a customer call",
    sop: "Working FMS escalations, steps 1a.vi and 1b.v",
    source: "Call the customer back at either the follow up time set on the 1st call or when you receive a response from the Market Manager (whichever happens 1st).",
    explanation: "For each call-back time (`callback_set`), the customer is called back by that time or when the Market Manager responds, whichever comes first, plus `thresholds.callback_grace_minutes` (15). Any customer call after the call-back was set and by that deadline keeps it; a new `callback_set` agreed before the deadline replaces it. Fires once the deadline has passed. Call-backs agreed during the reschedule conversation (before opening) count: the reschedule procedure promises the same.");
rule!(FMS031, Warning, FieldManagementSupport,
    title: "a call or email not documented",
    sop: "Working FMS escalations, steps 1a.vii and 1b.vi",
    source: "Document all calls and emails in DOLI.",
    explanation: "\"Document all calls and emails in DOLI\": a `call` or `email` event with `documented: false` happened but was not written into the order's history (a warning per event).");
rule!(FMS032, Error, FieldManagementSupport,
    title: "closed (or closing proposed) before the job was completed",
    sop: "Working FMS escalations, steps 1a.viii and 1b.vii",
    source: "Do not close out the Field Management Support Escalation until the job is completed.",
    explanation: "\"Do not close out the Field Management Support Escalation until the job is completed\": a closing (recorded or proposed) needs a `job_completed` event or `order.completed_at` at or before the closing time. One exception an experienced lead would make: a cancelled order (status cancelled) will never be completed and may close as `no_longer_an_issue`.");

pub static RULES: &[&RuleInfo] =
    &[&FMS001, &FMS010, &FMS011, &FMS020, &FMS021, &FMS022, &FMS023, &FMS030, &FMS031, &FMS032];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    contacts_documented(ctx, out);
    callbacks_kept(ctx, out);
    if let Some(opened) = ctx.record.opened_at {
        lookup_recorded(ctx, &opened, out);
        match &ctx.record.market_manager {
            MarketManagerLookup::Manager { .. } => {
                servicer_before_market_manager(ctx, out);
                email_before_call(ctx, out);
            }
            MarketManagerLookup::NoManager => {
                providers_in_order(ctx, out);
                providers_before_market_manager(ctx, out);
                customer_update_in_time(ctx, &opened, out);
            }
            MarketManagerLookup::NotDone => {}
        }
        alternate_dates_offered(ctx, out);
    }
    // A closing is judged by the procedure's closing hook (`plan::closing_violations`).
}

fn is_call_to(e: &Event, party: Party) -> bool {
    matches!(e.kind, EventKind::Call { party: Some(p), direction: Direction::Outbound, .. } if p == party)
}

/// A call or email to the Market Manager (a request for coverage).
pub fn is_market_manager_contact(e: &Event) -> bool {
    matches!(
        e.kind,
        EventKind::Call { party: Some(Party::MarketManager), direction: Direction::Outbound, .. }
            | EventKind::Email { party: Some(Party::MarketManager) }
    )
}

/// The StoreFile tiers listed for the selling store (all three when the record has none).
pub fn listed_providers(ctx: &Ctx) -> Vec<Party> {
    match &ctx.record.store_providers {
        None => Party::PROVIDERS.to_vec(),
        Some(p) => Party::PROVIDERS
            .into_iter()
            .zip([&p.primary, &p.secondary, &p.tertiary])
            .filter(|(_, listed)| listed.is_some())
            .map(|(party, _)| party)
            .collect(),
    }
}

/// The first call to `party` at or before `until`.
pub fn first_call_to<'a>(ctx: &Ctx<'a>, party: Party) -> Option<&'a Event> {
    ctx.events().iter().find(|e| is_call_to(e, party))
}

/// FMS001: Step 1, the Market Manager look-up.
fn lookup_recorded(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    if ctx.record.market_manager != MarketManagerLookup::NotDone {
        return;
    }
    let worked = ctx.events().iter().any(|e| {
        e.at >= *opened
            && matches!(e.kind, EventKind::Call { party: Some(p), .. } | EventKind::Email { party: Some(p) }
                if p == Party::Servicer || p == Party::MarketManager || p.is_provider())
    });
    let day_over = || ctx.now >= ctx.end_of_local_day(opened);
    if worked || ctx.record.closing.is_some() || day_over() {
        out.push(
            Violation::new(
                &FMS001,
                "/market_manager",
                "the \"Zip to Market Manager to Region\" look-up is not recorded",
            )
            .with_hint("market_manager: {\"name\": …} or {\"name\": null} when the area has none"),
        );
    }
}

/// FMS010: servicer first, then the Market Manager.
fn servicer_before_market_manager(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(first_mm) = ctx.events().iter().find(|e| is_market_manager_contact(e)) else { return };
    let servicer_first = ctx.events().iter().any(|e| e.at <= first_mm.at && is_call_to(e, Party::Servicer));
    if !servicer_first {
        out.push(Violation::new(
            &FMS010,
            first_mm.path(""),
            format!(
                "the Market Manager was contacted at {} before the assigned servicer was ever called",
                ctx.fmt(&first_mm.at)
            ),
        ));
    }
}

/// FMS011: email the Market Manager before calling, unless escalated or stalled.
fn email_before_call(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(call) = ctx.events().iter().find(|e| is_call_to(e, Party::MarketManager)) else { return };
    let emailed = ctx
        .events()
        .iter()
        .any(|e| e.at <= call.at && matches!(e.kind, EventKind::Email { party: Some(Party::MarketManager) }));
    if emailed || ctx.record.priority == Priority::HighlyEscalated {
        return;
    }
    let customer_contacts = ctx.calls_with(Party::Customer).filter(|e| e.at < call.at).count();
    if customer_contacts < 2 {
        out.push(Violation::new(
            &FMS011,
            call.path(""),
            format!(
                "the Market Manager was called at {} before being emailed; calling first is for highly escalated cases or after multiple customer contacts ({customer_contacts} before it)",
                ctx.fmt(&call.at)
            ),
        ));
    }
}

/// FMS020: primary, then secondary, then tertiary.
fn providers_in_order(ctx: &Ctx, out: &mut Vec<Violation>) {
    let listed = listed_providers(ctx);
    for (rank, party) in listed.iter().enumerate().skip(1) {
        let Some(call) = first_call_to(ctx, *party) else { continue };
        for earlier in &listed[..rank] {
            let called_before = ctx.events().iter().any(|e| e.at <= call.at && is_call_to(e, *earlier));
            if !called_before {
                out.push(Violation::new(
                    &FMS020,
                    call.path("party"),
                    format!(
                        "the {} was called at {} before the {} was called",
                        label(*party),
                        ctx.fmt(&call.at),
                        label(*earlier)
                    ),
                ));
                break;
            }
        }
    }
}

fn label(party: Party) -> &'static str {
    match party {
        Party::ProviderPrimary => "primary provider",
        Party::ProviderSecondary => "secondary provider",
        Party::ProviderTertiary => "tertiary provider",
        other => other.label(),
    }
}

/// FMS021: every provider tried before asking the Market Manager.
fn providers_before_market_manager(ctx: &Ctx, out: &mut Vec<Violation>) {
    let Some(first_mm) = ctx.events().iter().find(|e| is_market_manager_contact(e)) else { return };
    let untried: Vec<&str> = listed_providers(ctx)
        .into_iter()
        .filter(|p| !ctx.events().iter().any(|e| e.at <= first_mm.at && is_call_to(e, *p)))
        .map(label)
        .collect();
    if !untried.is_empty() {
        out.push(Violation::new(
            &FMS021,
            first_mm.path(""),
            format!(
                "the Market Manager was asked for coverage at {} before the {} {} tried",
                ctx.fmt(&first_mm.at),
                untried.join(" and "),
                if untried.len() == 1 { "was" } else { "were" }
            ),
        ));
    }
}

/// When working the job started (the first `work_started` at or after opening), and the
/// path that names it.
pub fn work_start(ctx: &Ctx, opened: &Timestamp) -> (Timestamp, String) {
    ctx.events()
        .iter()
        .find(|e| e.at >= *opened && matches!(e.kind, EventKind::WorkStarted))
        .map(|e| (e.at, e.path("")))
        .unwrap_or((*opened, "/opened_at".to_string()))
}

/// The customer-update deadline of 1b.iv and whether the update was made.
pub fn customer_update(ctx: &Ctx, opened: &Timestamp) -> (Timestamp, bool) {
    let (start, _) = work_start(ctx, opened);
    let deadline = add_saturating(start, Ctx::minutes(ctx.policy.thresholds().customer_update_minutes));
    let done = ctx.events().iter().any(|e| e.at >= start && e.at <= deadline && is_call_to(e, Party::Customer));
    (deadline, done)
}

/// FMS022: the customer update within 15 minutes of starting to work the job.
fn customer_update_in_time(ctx: &Ctx, opened: &Timestamp, out: &mut Vec<Violation>) {
    let (start, path) = work_start(ctx, opened);
    let (deadline, done) = customer_update(ctx, opened);
    let judged = ctx.record.closing.as_ref().and_then(|c| c.closed_at).unwrap_or(ctx.now);
    if !done && judged > deadline {
        out.push(Violation::new(
            &FMS022,
            path,
            format!(
                "no customer update call within {} minutes of starting to work the job at {} (due by {})",
                ctx.policy.thresholds().customer_update_minutes,
                ctx.fmt(&start),
                ctx.fmt(&deadline)
            ),
        ));
    }
}

/// A `coverage_found` whose date has not been offered to the customer, with its offer deadline.
pub fn unoffered_coverage<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Event, Timestamp)> {
    let window = Ctx::minutes(ctx.policy.thresholds().customer_update_minutes);
    ctx.events()
        .iter()
        .filter_map(|found| {
            let EventKind::CoverageFound { date, .. } = &found.kind else { return None };
            let offered = ctx.events().iter().any(|e| {
                e.at >= found.at
                    && match &e.kind {
                        EventKind::RescheduleOffered { dates, .. } => date.is_none_or(|d| dates.contains(&d)),
                        EventKind::Rescheduled { date: booked, .. } => date.is_none() || *booked == *date,
                        _ => false,
                    }
            });
            (!offered).then_some((found, add_saturating(found.at, window)))
        })
        .collect()
}

/// FMS023: an alternate date a provider offered is offered to the customer.
fn alternate_dates_offered(ctx: &Ctx, out: &mut Vec<Violation>) {
    let judged = ctx.record.closing.as_ref().and_then(|c| c.closed_at).unwrap_or(ctx.now);
    for (found, due) in unoffered_coverage(ctx) {
        if judged > due {
            let date = match &found.kind {
                EventKind::CoverageFound { date: Some(d), .. } => format!(" on {d}"),
                _ => String::new(),
            };
            out.push(Violation::new(
                &FMS023,
                found.path(""),
                format!(
                    "coverage{date} was found at {} but the date was not offered to the customer",
                    ctx.fmt(&found.at)
                ),
            ));
        }
    }
}

/// One agreed call-back and when the customer must be called by.
#[derive(Debug, Clone)]
pub struct CallbackDue<'a> {
    pub set: &'a Event,
    /// The call-back time or the Market Manager's response, whichever came first (no grace).
    pub due: Timestamp,
    /// Whether the Market Manager's response made it due early.
    pub by_market_manager: bool,
    pub kept: bool,
    /// A newer call-back agreed before this one fell due.
    pub superseded: bool,
}

/// Every call-back agreed with the customer and its state.
pub fn callbacks<'a>(ctx: &Ctx<'a>) -> Vec<CallbackDue<'a>> {
    let grace = Ctx::minutes(ctx.policy.thresholds().callback_grace_minutes);
    let sets: Vec<&Event> =
        ctx.events().iter().filter(|e| matches!(e.kind, EventKind::CallbackSet { callback_at: Some(_) })).collect();
    sets.iter()
        .enumerate()
        .map(|(i, set)| {
            let EventKind::CallbackSet { callback_at: Some(callback_at) } = set.kind else {
                unreachable!("filtered above")
            };
            let response = ctx
                .events()
                .iter()
                .find(|e| e.at > set.at && matches!(e.kind, EventKind::MarketManagerResponse { .. }));
            let (due, by_market_manager) = match response {
                Some(r) if r.at < callback_at => (r.at, true),
                _ => (callback_at, false),
            };
            let kept = ctx.calls_with(Party::Customer).any(|e| e.at > set.at && e.at <= add_saturating(due, grace));
            let superseded = sets.get(i + 1).is_some_and(|next| next.at <= add_saturating(due, grace));
            CallbackDue { set, due, by_market_manager, kept, superseded }
        })
        .collect()
}

/// FMS030: call the customer back by the call-back time or on the Market Manager's reply.
fn callbacks_kept(ctx: &Ctx, out: &mut Vec<Violation>) {
    let grace = Ctx::minutes(ctx.policy.thresholds().callback_grace_minutes);
    let judged = ctx.record.closing.as_ref().and_then(|c| c.closed_at).unwrap_or(ctx.now);
    for cb in callbacks(ctx) {
        if cb.kept || cb.superseded || judged <= add_saturating(cb.due, grace) {
            continue;
        }
        let why = if cb.by_market_manager { "the Market Manager's response" } else { "the call-back time" };
        out.push(Violation::new(
            &FMS030,
            cb.set.path("callback_at"),
            format!(
                "the customer was not called back by {} ({why}, plus {} min grace)",
                ctx.fmt(&cb.due),
                ctx.policy.thresholds().callback_grace_minutes
            ),
        ));
    }
}

/// FMS031: every call and email written into the order's history.
fn contacts_documented(ctx: &Ctx, out: &mut Vec<Violation>) {
    for e in ctx.events() {
        let what = match e.kind {
            EventKind::Call { .. } => "call",
            EventKind::Email { .. } => "email",
            _ => continue,
        };
        if !e.documented {
            out.push(Violation::new(
                &FMS031,
                e.path("documented"),
                format!("the {what} at {} is not documented in DOLI", ctx.fmt(&e.at)),
            ));
        }
    }
}

/// Whether the job was completed by `until`.
pub fn job_completed_by(ctx: &Ctx, until: &Timestamp) -> bool {
    ctx.events().iter().any(|e| e.at <= *until && matches!(e.kind, EventKind::JobCompleted))
        || ctx.record.order.as_ref().and_then(|o| o.completed_at).is_some_and(|t| t <= *until)
}

/// Whether the order was cancelled (it will never be completed).
pub fn order_cancelled(ctx: &Ctx) -> bool {
    let cancelled = |s: &str| ctx.policy.order_statuses.find(s).is_some_and(|l| l.code == "cancelled");
    ctx.record.order.as_ref().and_then(|o| o.status.as_deref()).is_some_and(cancelled)
        || ctx.events().iter().any(|e| matches!(&e.kind, EventKind::StatusChanged { to: Some(to) } if cancelled(to)))
}

/// The closing precondition of FMS (FMS032), for the record's closing or a proposal.
pub fn check_closing(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    let until = closing.closed_at.unwrap_or(ctx.now);
    if job_completed_by(ctx, &until) {
        return;
    }
    if order_cancelled(ctx) && closing.basis == Some(Basis::NoLongerAnIssue) {
        return;
    }
    out.push(
        Violation::new(
            &FMS032,
            "/closing",
            format!(
                "job not completed: an FMS escalation stays open until the job is completed (closing at {})",
                ctx.fmt(&until)
            ),
        )
        .with_hint("wait for job_completed; a cancelled order may close as no_longer_an_issue"),
    );
}
