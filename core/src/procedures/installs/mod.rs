//! An Installs Inc escalation: the Closing Escalations procedure's timeliness and closing
//! rules, shared with Field Management Support; no rules of its own.

use super::{Requirements, Sop};
use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::{CaseState, Step, Violation};
use crate::rules::{closing, timeliness, Ctx};

/// The installs escalation procedure.
pub(crate) struct InstallsEscalation;

impl Sop for InstallsEscalation {
    fn rules(&self) -> &'static [&'static [&'static RuleInfo]] {
        &[]
    }

    fn requirements(&self) -> Requirements {
        Requirements { opened_at: true, customer: false, order: true, servicer_a_number: false, escalation: true }
    }

    fn check(&self, ctx: &Ctx, out: &mut Vec<Violation>) {
        timeliness::check(ctx, out);
    }

    fn check_closing(&self, ctx: &Ctx, proposal: &Closing, out: &mut Vec<Violation>) {
        closing::check_closing(ctx, proposal, out);
    }

    /// Timeliness steps, the sensitive-issue flag, then closing.
    fn plan(&self, ctx: &Ctx) -> (CaseState, Vec<Step>) {
        let mut steps = crate::plan::timeliness::steps(ctx);
        steps.extend(crate::procedures::leadership::plan::flag_step(ctx));
        steps.extend(crate::plan::closing::close_step(ctx));
        (crate::plan::state_of(ctx, &steps), steps)
    }
}
