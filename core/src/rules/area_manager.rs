//! Area Manager Escalation Process, SOP 000-003 (seed 003): escalating a service pro's
//! missed commitments to the Area Manager through a ServiceBench exception.

use crate::catalogue::RuleInfo;
use crate::record::Closing;
use crate::report::Violation;
use crate::rule;

use super::Ctx;

rule!(AM001, Error, AreaManagerException,
    title: "the service pro was not called after the customer's report",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 1",
    source: "When a customer reports issues or concerns with a service pro's repair, the customer service agent is required to call the service pro to discuss the customer's concern, seek a resolution, and document the service job with the outcome of their contact.",
    explanation: "TODO");
rule!(AM002, Error, AreaManagerException,
    title: "the service pro was not reached and no message with an explicit note on the service job followed",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 1",
    source: "If unable to reach the service pro, the customer service agent must leave a message stating the customer's concern, request the service pro to contact the customer as soon as possible, and leave an explicit note on the service job.",
    explanation: "TODO");
rule!(AM003, Error, AreaManagerException,
    title: "the customer called back 24 hours or more after the first attempt and the service pro was not called again",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "If the customer calls back 24 hours after Cinch's initial contact attempt with the service pro, the customer service agent must call the service pro to seek a resolution.",
    explanation: "TODO");
rule!(AM004, Error, AreaManagerException,
    title: "the second attempt failed without a second voicemail and a Public with Email note",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "If the service pro was unavailable, the customer service agent must leave a second voice message and send a Public with Email note explaining the reason for their contact.",
    explanation: "TODO");
rule!(AM005, Error, AreaManagerException,
    title: "step 2 was reached but no exception was opened to the Area Manager",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2",
    source: "In addition, the customer service agent must open the corresponding task Exception via ServiceBench directed to the Area Manager to document the service pro's missed commitment.",
    explanation: "TODO");
rule!(AM006, Error, AreaManagerException,
    title: "exception code not in the legend",
    sop: "Area Manager Escalation Process (SOP 000-003), Exception Legend",
    source: "COACH, GREAT SVC, HI COST, MISDIAG, MISSED APPT, NCNS, NO RESPONSE, NO WORK, PROCESS, PROFILE UPDATE, SP UNRESPONSIVE, UNPROFESSIONAL, WORKMANSHIP",
    explanation: "TODO");
rule!(AM007, Warning, AreaManagerException,
    title: "exception opened before step 2 was reached, without a risk to customer or service pro",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 2 and Note",
    source: "Note: For potential risk to the customer or service pro please click here",
    explanation: "TODO");
rule!(AM008, Error, AreaManagerException,
    title: "closed with an exception but without the admin team's email to the Area Manager",
    sop: "Area Manager Escalation Process (SOP 000-003), Step 3",
    source: "The \"Admin team\" will review the escalation and communicate the issue to the assigned Area Manager via email for additional actions.",
    explanation: "TODO");

pub static RULES: &[&RuleInfo] = &[&AM001, &AM002, &AM003, &AM004, &AM005, &AM006, &AM007, &AM008];

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    if let Some(closing) = &ctx.record.closing {
        check_closing(ctx, closing, out);
    }
}

/// The closing precondition of the Area Manager process (AM008).
pub fn check_closing(_ctx: &Ctx, _closing: &Closing, _out: &mut Vec<Violation>) {}
