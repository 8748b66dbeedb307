//! Closing Escalations (seed 002): who may close, on what basis, and with which
//! responsibility and reason.

use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(CL001, Error, FmsAndInstalls,
    title: "the closer's role may not close escalations",
    sop: "Closing Escalations, who can close",
    source: "Installs / CRST Home Solutions: a. TRA and Field Management; b. Resolution Care Phone 2 (Client Services); c. Resolution Care Back Office team; d. Resolution Care Supervisors and Team Leads.",
    explanation: "TODO");
rule!(CL002, Error, FmsAndInstalls,
    title: "no valid closing basis",
    sop: "Closing Escalations, when to close",
    source: "When the issue has been resolved by a member of CRST Home Solutions' team. We can also close escalations when there is not contact after the third attempt to contact the customer or when there is no longer an issue for our team to resolve.",
    explanation: "TODO");
rule!(CL003, Error, FmsAndInstalls,
    title: "\"Resolved By\" is not INSTALLS Inc",
    sop: "Closing Escalations, step 3a",
    source: "Resolved By: Always select INSTALLS Inc for every escalation that you are closing out.",
    explanation: "TODO");
rule!(CL004, Error, FmsAndInstalls,
    title: "final responsibility is not one of client, customer, installation company, INSTALLS inc",
    sop: "Closing Escalations, step 3b",
    source: "Final Responsibility: ... Your choices for this field are: client, customer, installation company, or INSTALLS inc.",
    explanation: "TODO");
rule!(CL005, Error, FmsAndInstalls,
    title: "the reason is not a reason of that party",
    sop: "Closing Escalations, step 3c",
    source: "Final Responsibility Reason: Choose the escalation reason that best matched the cause of the customer's issue. (Index 1: the reasons of each party.)",
    explanation: "TODO");
rule!(CL006, Error, FmsAndInstalls,
    title: "a \"Damage Claims Only\" reason on an escalation that is not a damage claim",
    sop: "Closing Escalations, Index 1 (Damage Claims Only reasons)",
    source: "Installs, INC. denied – Damage Claims Only; Installs Paid Direct – Damage Claims Only; … Case Dismissed – Damage Claims Only",
    explanation: "TODO");
rule!(CL007, Warning, FmsAndInstalls,
    title: "no closing notes",
    sop: "Closing Escalations, closing screen (Add Closing Notes)",
    source: "Add Closing Notes: Enter your comment here...",
    explanation: "TODO");

pub static RULES: &[&RuleInfo] = &[&CL001, &CL002, &CL003, &CL004, &CL005, &CL006, &CL007];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    if let Some(closing) = &ctx.record.closing {
        check_closing(ctx, closing, out);
    }
}

/// The closing rules, for the record's closing or a proposal.
pub fn check_closing(_ctx: &Ctx, _closing: &Closing, _out: &mut Vec<Violation>) {}
