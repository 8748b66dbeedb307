//! An escalation to leadership (seed 004), and the sensitive-issue flag (LD009) every
//! procedure uses: its rules in [`rules`], its steps in [`plan`].

pub(crate) mod plan;
pub(crate) mod rules;

use super::{Requirements, Sop};
use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::{CaseState, Step, Violation};
use crate::rules::{closing, Ctx};

static RULE_SETS: &[&[&RuleInfo]] = &[rules::RULES];

/// The procedure.
pub(crate) struct LeadershipRequest;

impl Sop for LeadershipRequest {
    fn rules(&self) -> &'static [&'static [&'static RuleInfo]] {
        RULE_SETS
    }

    fn requirements(&self) -> Requirements {
        Requirements { opened_at: true, customer: false, order: false, servicer_a_number: false, escalation: false }
    }

    fn check(&self, ctx: &Ctx, out: &mut Vec<Violation>) {
        rules::check(ctx, out);
    }

    /// Its own closing preconditions, and the `no_contact` basis as Closing Escalations
    /// reads it (CL002): the procedure names no closing basis of its own.
    fn check_closing(&self, ctx: &Ctx, proposal: &Closing, out: &mut Vec<Violation>) {
        rules::check_closing(ctx, proposal, out);
        closing::basis_is_supported(ctx, proposal, out);
    }

    fn plan(&self, ctx: &Ctx) -> (CaseState, Vec<Step>) {
        plan::plan(ctx)
    }
}
