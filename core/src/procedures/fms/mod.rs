//! Field Management Support: the reschedule conversation before the escalation is opened
//! (seed 001, [`reschedule`]), then the coverage hunt while it is open (seed 000, [`rules`]),
//! planned in [`plan`].

pub(crate) mod plan;
pub(crate) mod reschedule;
pub(crate) mod rules;

use super::{Requirements, Sop};
use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::{CaseState, Step, Violation};
use crate::rules::{closing, timeliness, Ctx};

static RULE_SETS: &[&[&RuleInfo]] = &[reschedule::RULES, rules::RULES];

/// The Field Management Support procedure.
pub(crate) struct FieldManagementSupport;

impl Sop for FieldManagementSupport {
    fn rules(&self) -> &'static [&'static [&'static RuleInfo]] {
        RULE_SETS
    }

    fn requirements(&self) -> Requirements {
        Requirements { opened_at: false, customer: true, order: true, servicer_a_number: true, escalation: true }
    }

    fn check(&self, ctx: &Ctx, out: &mut Vec<Violation>) {
        reschedule::check(ctx, out);
        rules::check(ctx, out);
        timeliness::check(ctx, out);
    }

    fn check_closing(&self, ctx: &Ctx, proposal: &Closing, out: &mut Vec<Violation>) {
        closing::check_closing(ctx, proposal, out);
        rules::check_closing(ctx, proposal, out);
    }

    fn plan(&self, ctx: &Ctx) -> (CaseState, Vec<Step>) {
        plan::plan(ctx)
    }
}
