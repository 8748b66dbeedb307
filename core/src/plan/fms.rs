//! Next steps for this procedure, in the order the procedure gives them.

use crate::report::{CaseState, Step};
use crate::rules::Ctx;

/// The state of the case and its steps, most urgent first.
pub fn plan(ctx: &Ctx) -> (CaseState, Vec<Step>) {
    let steps: Vec<Step> = Vec::new();
    (super::state_of(ctx, &steps), steps)
}
