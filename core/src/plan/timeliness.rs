//! Installs timeliness steps (Closing Escalations, Key Reminder): `first_touch` the day an
//! escalation opens, `update_escalation` every 24 hours. Used by FMS and installs plans.

use crate::report::{Action, Step};
use crate::rules::timeliness::{first_touch_deadline, TM001, TM002};
use crate::rules::Ctx;
use crate::time::add_saturating;

/// The timeliness steps due for an open FMS or installs escalation: `first_touch` while no
/// agent has acted since opening, else `update_escalation` 24 hours after the last action.
/// Nothing for a closed case or an FMS case that is not opened yet.
pub fn steps(ctx: &Ctx) -> Vec<Step> {
    if ctx.record.closing.is_some() {
        return Vec::new();
    }
    let Some(opened) = ctx.record.opened_at else { return Vec::new() };
    let interval = Ctx::hours(ctx.policy.thresholds().update_interval_hours);
    // Actions up to `now`: a recorded future action has not happened yet.
    let last_action =
        ctx.events().iter().filter(|e| e.is_agent_action() && e.at >= opened && e.at <= ctx.now).map(|e| e.at).max();
    match last_action {
        None => {
            // On a 25-hour DST day the local day can outlast the update interval: the earlier
            // deadline keeps TM002 from firing as well.
            let due = first_touch_deadline(ctx, &opened).min(add_saturating(opened, interval));
            let why = format!(
                "New escalations need to be addressed the same day they are opened: act on this one (call, email, note or update) by the end of {}",
                ctx.local_date(&opened)
            );
            vec![Step::new(Action::FirstTouch, &TM001, Some(ctx.local(&due)), why, None)]
        }
        Some(last) => {
            let due = add_saturating(last, interval);
            let why = format!(
                "Escalations are updated every {} hours; the last agent action was at {}",
                ctx.policy.thresholds().update_interval_hours,
                ctx.fmt(&last)
            );
            vec![Step::new(Action::UpdateEscalation, &TM002, Some(ctx.local(&due)), why, None)]
        }
    }
}
