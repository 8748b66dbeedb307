//! Timeliness (seed 002, Key Reminder): first touch the day an escalation opens, an update
//! every 24 hours, resolution in a reasonable time frame.

use crate::catalogue::RuleInfo;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(TM001, Error, FmsAndInstalls,
    title: "not addressed on the local day it was opened (no agent action that day)",
    sop: "Closing Escalations, Key Reminder",
    source: "New escalations need to be addressed the same day they are opened.",
    explanation: "TODO");
rule!(TM002, Error, FmsAndInstalls,
    title: "more than 24 hours without an agent action while open",
    sop: "Closing Escalations, Key Reminder",
    source: "They then need to be updated every 24 hours.",
    explanation: "TODO");
rule!(TM003, Warning, FmsAndInstalls,
    title: "open longer than the policy's resolution target",
    sop: "Closing Escalations, Key Reminder",
    source: "...and the issue should be completely resolved in a reasonable time frame.",
    explanation: "TODO");

pub static RULES: &[&RuleInfo] = &[&TM001, &TM002, &TM003];

pub fn check(_ctx: &Ctx, _out: &mut Vec<Violation>) {}
