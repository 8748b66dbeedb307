//! Planning: what the agent must do next (`next_steps`) and whether a case may close
//! (`can_close`), from the procedures' step orders.

use crate::record::Closing;
use crate::report::{CaseState, Step, Violation};
use crate::rules::Ctx;

/// The state of the case and its steps, most urgent first.
pub fn next_steps(_ctx: &Ctx) -> (CaseState, Vec<Step>) {
    (CaseState::Open, Vec::new())
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
