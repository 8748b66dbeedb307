//! The procedures, and the one table that lists them.
//!
//! Each procedure is a folder here that provides, through [`Sop`], its rules, its planner and
//! what its records must carry. Adding one is a folder and a line of [`procedures!`]'s table;
//! the engine, the catalogue and the record reader reach procedures only through it.

use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::{CaseState, Step, Violation};
use crate::rules::Ctx;

/// What a record of a procedure must carry (REC002 reports what is missing).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Requirements {
    /// `opened_at` (an FMS case is recorded before it is opened).
    pub opened_at: bool,
    /// `customer`, with its first and last name and phone (the escalation form is checked
    /// against them).
    pub customer: bool,
    /// `order`, with its id.
    pub order: bool,
    /// The order's servicer's A# (the form's installer A# is checked against it).
    pub servicer_a_number: bool,
    /// `escalation` (the escalation form).
    pub escalation: bool,
}

/// A procedure: its rules, its planner and its record requirements.
pub(crate) trait Sop: Sync {
    /// The catalogue entries of the rules this procedure alone checks (shared rules — record
    /// checks, closing, timeliness — are listed in [`SHARED_RULES`]).
    fn rules(&self) -> &'static [&'static [&'static RuleInfo]];
    /// What its records must carry.
    fn requirements(&self) -> Requirements;
    /// Its validation rules (the record's closing is judged by [`Sop::check_closing`]).
    fn check(&self, ctx: &Ctx, out: &mut Vec<Violation>);
    /// Its closing hook: the rules that judge `closing` (the record's own or a proposal).
    fn check_closing(&self, ctx: &Ctx, closing: &Closing, out: &mut Vec<Violation>);
    /// Its next steps, most urgent first, and the state they put the case in.
    fn plan(&self, ctx: &Ctx) -> (CaseState, Vec<Step>);
}

/// The rule sets every procedure may use: record checks, closing and timeliness.
pub(crate) static SHARED_RULES: &[&[&RuleInfo]] =
    &[crate::record::RULES, crate::rules::closing::RULES, crate::rules::timeliness::RULES];

/// The table: each line a procedure's variant, code, label and aliases (as the record format
/// accepts them), and the folder and type that implement it.
macro_rules! procedures {
    ($($variant:ident => $code:literal, $label:literal $(| $alias:literal)* : $module:ident :: $sop:ident;)*) => {
        $(pub(crate) mod $module;)*

        crate::codes::code_enum!(
            /// Which procedure a case follows.
            Procedure { $($variant => $code, $label $(| $alias)*;)* }
        );

        impl Procedure {
            /// The procedure's rules, planner and record requirements.
            pub(crate) fn sop(self) -> &'static dyn Sop {
                match self {
                    $(Procedure::$variant => &$module::$sop,)*
                }
            }
        }
    };
}

procedures! {
    FieldManagementSupport => "field_management_support", "Field Management Support" | "FMS": fms::FieldManagementSupport;
    InstallsEscalation => "installs_escalation", "Installs Inc escalation" | "installs": installs::InstallsEscalation;
    AreaManagerException => "area_manager_exception", "Area Manager exception" | "Area Manager escalation": area_manager::AreaManagerException;
    LeadershipRequest => "leadership_request", "Leadership request" | "escalation to leadership": leadership::LeadershipRequest;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_procedures_own_rules_are_scoped_to_it() {
        for &procedure in Procedure::ALL {
            for rule in procedure.sop().rules().iter().flat_map(|set| set.iter()) {
                assert!(
                    rule.scope.includes(Some(procedure)),
                    "{} is listed by {procedure:?} but scoped {:?}",
                    rule.id,
                    rule.scope
                );
            }
        }
    }

    #[test]
    fn every_rule_is_listed_once() {
        let mut ids: Vec<&str> = crate::catalogue::all().iter().map(|r| r.id).collect();
        let listed = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), listed, "a rule set is listed by two procedures");
    }
}
