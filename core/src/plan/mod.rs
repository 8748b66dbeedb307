//! Planning: what the agent must do next (`next_steps`) and whether a case may close
//! (`can_close`), from the procedures' step orders. One module per procedure, like the rules.

use crate::record::Closing;
use crate::report::{Action, CaseState, Step, Violation};
use crate::rules::Ctx;

pub mod closing;
pub mod timeliness;

/// The state of the case and its steps, most urgent first.
pub fn next_steps(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    let (state, mut steps) = match ctx.record.procedure {
        Some(procedure) => procedure.sop().plan(ctx),
        None => (CaseState::Open, Vec::new()),
    };
    for step in &mut steps {
        step.overdue = step.due_by.is_some_and(|due| due <= ctx.now);
    }
    (state, steps)
}

/// The state a list of steps puts a case in: `closed` when the record has a closing;
/// `not_opened` for an FMS case without `opened_at`; `ready_to_close` when
/// `close_escalation` is offered and no other step is due now; `open` when some step is due
/// now (no deadline and not a wait, or a deadline already reached) or there is no step at all;
/// else `waiting` (every step waits on a future time or on a reply).
pub fn state_of(ctx: &Ctx, steps: &[Step]) -> CaseState {
    if ctx.record.closing.is_some() {
        return CaseState::Closed;
    }
    if ctx.record.opened_at.is_none() && ctx.record.procedure == Some(crate::codes::Procedure::FieldManagementSupport) {
        return CaseState::NotOpened;
    }
    let closable = steps.iter().any(|s| s.action == Action::CloseEscalation);
    let other_due = steps.iter().filter(|s| s.action != Action::CloseEscalation).any(|s| is_due_now(ctx, s));
    if closable && !other_due {
        CaseState::ReadyToClose
    } else if steps.is_empty() || steps.iter().any(|s| is_due_now(ctx, s)) {
        CaseState::Open
    } else {
        CaseState::Waiting
    }
}

/// A step the agent can and should do now: a `wait_for_*` step waits on someone else, and a
/// step due at a future time can wait until then.
fn is_due_now(ctx: &Ctx, step: &Step) -> bool {
    if step.action.is_wait() {
        return false;
    }
    // No deadline: do it now.
    !matches!(step.due_by, Some(due) if due > ctx.now)
}

/// The procedure's closing hook: the rules that judge `closing` (CL*, FMS032, the Area
/// Manager and leadership preconditions AM001–AM005/AM008 and LD010, and for the two
/// procedures without a closing screen of their own the `no_contact` basis, CL002), and for
/// every procedure LD009: a case with sensitive qualifiers not yet flagged for review may not
/// close. `validate` judges a record's closing with it and `can_close` a proposal, and the
/// plan offers `close_escalation` exactly when it finds nothing ([`closing::judge`]).
/// `ctx.record` must carry `closing`.
pub fn closing_violations(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    if let Some(procedure) = ctx.record.procedure {
        procedure.sop().check_closing(ctx, closing, out);
    }
    crate::procedures::leadership::rules::check_sensitive(ctx, out);
}
