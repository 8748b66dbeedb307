//! Working Field Management Support escalations (seed 000): finding alternate coverage,
//! keeping the customer informed, and not closing before the job is done.

use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(FMS001, Error, FieldManagementSupport,
    title: "Market Manager look-up not recorded",
    sop: "Working FMS escalations, step 1",
    source: "Use the \"Zip to Market Manager to Region\" lookup to determine if there is a Market Manager for the customer's area.",
    explanation: "TODO");
rule!(FMS010, Error, FieldManagementSupport,
    title: "(Market Manager) Market Manager contacted before the assigned servicer was ever called",
    sop: "Working FMS escalations, step 1a.i-ii",
    source: "If the assigned servicer has not already been contacted, call the assigned servicer and ask if they can cover the job on the customer's requested date/time. If the assigned servicer has already been contacted or is not reachable, email the Market Manager.",
    explanation: "TODO");
rule!(FMS011, Warning, FieldManagementSupport,
    title: "(Market Manager) Market Manager called before being emailed, though the case is not highly escalated and fewer than 2 customer contacts preceded it",
    sop: "Working FMS escalations, step 1a.ii.1",
    source: "If the customer is highly escalated, or multiple contacts have resulted in no progress, agents may call the Market Manager before emailing.",
    explanation: "TODO");
rule!(FMS020, Error, FieldManagementSupport,
    title: "(no Market Manager) providers called out of order (primary, then secondary, then tertiary)",
    sop: "Working FMS escalations, step 1b.i-ii",
    source: "Use StoreFile to identify the Primary, Secondary, and Tertiary provider for the selling store... Call each company and ask if they are able to cover the job.",
    explanation: "TODO");
rule!(FMS021, Warning, FieldManagementSupport,
    title: "(no Market Manager) Market Manager / field leadership asked for coverage before all three providers were tried",
    sop: "Working FMS escalations, step 1b.iii",
    source: "If you do not find alternate coverage, reach out to the Market Manager for coverage assistance.",
    explanation: "TODO");
rule!(FMS022, Error, FieldManagementSupport,
    title: "(no Market Manager) no customer update call within 15 minutes of starting to work the job",
    sop: "Working FMS escalations, step 1b.iv",
    source: "After working the job for no more than 15 minutes, call the customer to update them on your progress, no matter what the status update.",
    explanation: "TODO");
rule!(FMS023, Warning, FieldManagementSupport,
    title: "a provider offered another date but it was not offered to the customer",
    sop: "Working FMS escalations, step 1b.iv.1",
    source: "If you spoke with a service provider who confirmed that they could cover the job on a different date, offer to reschedule the customer's service to this date.",
    explanation: "TODO");
rule!(FMS030, Error, FieldManagementSupport,
    title: "a call-back time passed without a customer call",
    sop: "Working FMS escalations, steps 1a.vi and 1b.v",
    source: "Call the customer back at either the follow up time set on the 1st call or when you receive a response from the Market Manager (whichever happens 1st).",
    explanation: "TODO");
rule!(FMS031, Warning, FieldManagementSupport,
    title: "a call or email not documented",
    sop: "Working FMS escalations, steps 1a.vii and 1b.vi",
    source: "Document all calls and emails in DOLI.",
    explanation: "TODO");
rule!(FMS032, Error, FieldManagementSupport,
    title: "closed (or closing proposed) before the job was completed",
    sop: "Working FMS escalations, steps 1a.viii and 1b.vii",
    source: "Do not close out the Field Management Support Escalation until the job is completed.",
    explanation: "TODO");

pub static RULES: &[&RuleInfo] = &[&FMS001, &FMS010, &FMS011, &FMS020, &FMS021, &FMS022, &FMS023, &FMS030, &FMS031, &FMS032];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    if let Some(closing) = &ctx.record.closing {
        check_closing(ctx, closing, out);
    }
}

/// The closing precondition of FMS (FMS032), for the record's closing or a proposal.
pub fn check_closing(_ctx: &Ctx, _closing: &Closing, _out: &mut Vec<Violation>) {}
