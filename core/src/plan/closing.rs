//! The closing step: `close_escalation`, offered with the bases the procedures allow now.

use crate::codes::Basis;
use crate::report::Step;
use crate::rules::Ctx;

/// The closing bases allowed now for an FMS or installs escalation.
pub fn allowed_bases(_ctx: &Ctx) -> Vec<Basis> {
    Vec::new()
}

/// `close_escalation` when closing is allowed now, with `options` = the allowed bases.
pub fn close_step(_ctx: &Ctx) -> Option<Step> {
    None
}
