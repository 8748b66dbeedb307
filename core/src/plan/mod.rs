//! Planning: what the agent must do next (`next_steps`) and whether a case may close
//! (`can_close`), from the procedures' step orders. One module per procedure, like the rules.

use crate::record::Closing;
use crate::report::{CaseState, Step, Violation};
use crate::rules::Ctx;

pub mod area_manager;
pub mod closing;
pub mod fms;
pub mod leadership;
pub mod timeliness;

/// The state of the case and its steps, most urgent first.
pub fn next_steps(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    use crate::codes::Procedure::*;
    match ctx.record.procedure {
        Some(FieldManagementSupport) => fms::plan(ctx),
        Some(InstallsEscalation) => installs_plan(ctx),
        Some(AreaManagerException) => area_manager::plan(ctx),
        Some(LeadershipRequest) => leadership::plan(ctx),
        None => (CaseState::Open, Vec::new()),
    }
}

/// An installs escalation: timeliness steps, then closing.
fn installs_plan(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    let mut steps = timeliness::steps(ctx);
    steps.extend(closing::close_step(ctx));
    (state_of(ctx, &steps), steps)
}

/// The state a list of steps puts a case in.
pub fn state_of(ctx: &Ctx, steps: &[Step]) -> CaseState {
    if ctx.record.closing.is_some() {
        return CaseState::Closed;
    }
    let _ = steps;
    CaseState::Open
}

/// The closing rules that apply to `closing` (CL*, FMS032, AM008, leadership preconditions).
pub fn closing_violations(ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>) {
    use crate::codes::Procedure::*;
    use crate::rules::{area_manager, closing as cl, fms, leadership};
    match ctx.record.procedure {
        Some(FieldManagementSupport) => {
            cl::check_closing(ctx, closing, out);
            fms::check_closing(ctx, closing, out);
        }
        Some(InstallsEscalation) => cl::check_closing(ctx, closing, out),
        Some(AreaManagerException) => area_manager::check_closing(ctx, closing, out),
        Some(LeadershipRequest) => leadership::check_closing(ctx, closing, out),
        None => {}
    }
}
