//! The closing step: `close_escalation`, offered with the bases the procedures allow now.
//!
//! A basis is offered exactly when `can_close` would allow a well-formed proposal with it
//! ([`well_formed_proposal`]): the same rules judge both, so the plan and `can_close` agree.

use crate::codes::Basis;
use crate::procedures::area_manager::rules::AM008;
use crate::procedures::leadership::rules::LD010;
use crate::record::{ClosedBy, Closing, Text};
use crate::report::{Action, Severity, Step, Violation};
use crate::rules::closing::CL002;
use crate::rules::Ctx;
use crate::time::Timestamp;

const BASES: [Basis; 3] = [Basis::Resolved, Basis::NoContact, Basis::NoLongerAnIssue];

/// A closing that fills every field the way the procedure asks (an allowed closer role,
/// Resolved By INSTALLS Inc, a party with one of its own reasons that is not for damage claims
/// only, notes), so that only the basis and the case's history decide whether it may close.
pub fn well_formed_proposal(ctx: &Ctx, basis: Basis, closed_at: Timestamp) -> Closing {
    let policy = ctx.policy;
    let (party, reason) = policy
        .parties
        .iter()
        .find_map(|p| {
            p.reasons
                .entries()
                .iter()
                .zip(&p.damage_claims_only)
                .find(|(_, damage_only)| !**damage_only)
                .map(|(r, _)| (Text::from(p.code.as_str()), Text::from(r.code.as_str())))
        })
        .unzip();
    Closing {
        closed_at: Some(closed_at),
        closed_by: Some(ClosedBy {
            agent_id: None,
            role: policy.closer_roles.entries().first().map(|e| Text::from(e.code.as_str())),
        }),
        escalation_id: None,
        basis: Some(basis),
        resolved_by: policy.resolved_by.entries().first().map(|e| Text::from(e.code.as_str())),
        final_responsibility: party,
        reason,
        notes: Some("closed as planned by escalint next_steps".into()),
    }
}

/// Every violation `can_close` reports for `closing` on this record: the problems found while
/// reading it (except those of its own closing, which `closing` replaces), the record checks,
/// and the procedure's closing hook ([`super::closing_violations`]), judged at `ctx.now` on
/// what had happened by then. The one judgement of the closing preconditions: `can_close`
/// answers with it, and the plan offers a basis exactly when it finds no error.
pub fn judge(ctx: &Ctx, closing: &Closing) -> Vec<Violation> {
    let mut judged = ctx.record.clone();
    judged.closing = Some(closing.clone());
    let judged_ctx = Ctx { record: &judged, ..*ctx };
    let mut out: Vec<Violation> = ctx.problems.iter().filter(|v| !v.path.starts_with("/closing")).cloned().collect();
    crate::rules::record_checks::check(&judged_ctx, &mut out);
    super::closing_violations(&judged_ctx, closing, &mut out);
    out
}

/// The closing bases allowed now (none once closed).
pub fn allowed_bases(ctx: &Ctx) -> Vec<Basis> {
    if ctx.record.closing.is_some() {
        return Vec::new();
    }
    BASES
        .into_iter()
        .filter(|basis| {
            let proposal = well_formed_proposal(ctx, *basis, ctx.now);
            !judge(ctx, &proposal).iter().any(|v| v.severity == Severity::Error)
        })
        .collect()
}

/// `close_escalation` when closing is allowed now, with `options` = the allowed bases; the
/// rule it serves is the procedure's closing precondition.
pub fn close_step(ctx: &Ctx) -> Option<Step> {
    use crate::codes::Procedure::*;
    let bases = allowed_bases(ctx);
    if bases.is_empty() {
        return None;
    }
    let options: Vec<String> = bases.iter().map(|b| b.code().to_string()).collect();
    let (rule, why) = match ctx.record.procedure {
        Some(AreaManagerException) => (&AM008, "nothing the procedure requires blocks closing".to_string()),
        Some(LeadershipRequest) => (&LD010, "the leadership request has run its course".to_string()),
        _ => (
            &CL002,
            format!(
                "The escalation may be closed now as {}: Resolved By INSTALLS Inc, the final responsibility party with one of its own reasons, and closing notes",
                options.join(", ")
            ),
        ),
    };
    Some(Step::new(Action::CloseEscalation, rule, None, why, None).with_options(Some(options)))
}
