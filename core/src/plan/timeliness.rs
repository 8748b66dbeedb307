//! Installs timeliness steps (Closing Escalations, Key Reminder): `first_touch` the day an
//! escalation opens, `update_escalation` every 24 hours. Used by FMS and installs plans.

use crate::report::Step;
use crate::rules::Ctx;

/// The timeliness steps due for an open FMS or installs escalation.
pub fn steps(_ctx: &Ctx) -> Vec<Step> {
    Vec::new()
}
