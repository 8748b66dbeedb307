//! Record checks that need the policy (codes it defines) or the whole record (timestamps
//! that contradict each other).

use crate::record::{REC003, REC004};
use crate::report::Violation;

use super::Ctx;

pub fn check(ctx: &Ctx, out: &mut Vec<Violation>) {
    order_status_known(ctx, out);
    qualifiers_known(ctx, out);
    timestamps_consistent(ctx, out);
}

/// REC003: the order status and every `status_changed` target must be a policy status.
fn order_status_known(ctx: &Ctx, out: &mut Vec<Violation>) {
    let statuses = &ctx.policy.order_statuses;
    let unknown = |text: &str| statuses.find(text).is_none();
    let mut report = |text: &str, path: String| {
        let mut v = Violation::new(&REC003, &path, format!("{path}: \"{text}\" is not a known order status"));
        if let Some(c) = statuses.closest(text) {
            v = v.with_hint(format!("status: {}", c.code));
        }
        out.push(v);
    };
    if let Some(status) = ctx.record.order.as_ref().and_then(|o| o.status.as_deref()).filter(|s| unknown(s)) {
        report(status, "/order/status".into());
    }
    for e in ctx.events() {
        if let crate::record::EventKind::StatusChanged { to: Some(to) } = &e.kind {
            if unknown(to) {
                report(to, e.path("to"));
            }
        }
    }
}

/// REC003: sensitive qualifiers (on the case and on `flagged_for_review`) must be known.
fn qualifiers_known(ctx: &Ctx, out: &mut Vec<Violation>) {
    let known = &ctx.policy.sensitive_qualifiers;
    let unknown = |text: &str| known.find(text).is_none();
    let mut report = |text: &str, path: String| {
        let mut v = Violation::new(&REC003, &path, format!("{path}: \"{text}\" is not a known sensitive qualifier"));
        if let Some(c) = known.closest(text) {
            v = v.with_hint(format!("qualifier: {}", c.code));
        }
        out.push(v);
    };
    for (i, q) in ctx.record.sensitive_qualifiers.iter().enumerate() {
        if unknown(q) {
            report(q, format!("/sensitive_qualifiers/{i}"));
        }
    }
    for e in ctx.events() {
        if let crate::record::EventKind::FlaggedForReview { qualifiers } = &e.kind {
            for (i, q) in qualifiers.iter().enumerate() {
                if unknown(q) {
                    report(q, e.path(&format!("qualifiers/{i}")));
                }
            }
        }
    }
}

/// REC004: a case closed before it was opened; a call-back agreed for a time before the
/// moment it was agreed.
fn timestamps_consistent(ctx: &Ctx, out: &mut Vec<Violation>) {
    let record = ctx.record;
    if let (Some(opened), Some(closed)) = (record.opened_at, record.closing.as_ref().and_then(|c| c.closed_at)) {
        if closed < opened {
            out.push(Violation::new(
                &REC004,
                "/closing/closed_at",
                format!("the case was closed at {} before it was opened at {}", ctx.fmt(&closed), ctx.fmt(&opened)),
            ));
        }
    }
    for e in ctx.events() {
        if let crate::record::EventKind::CallbackSet { callback_at: Some(at) } = &e.kind {
            if *at < e.at {
                out.push(Violation::new(
                    &REC004,
                    e.path("callback_at"),
                    format!("the call-back time {} is before the moment it was set ({})", ctx.fmt(at), ctx.fmt(&e.at)),
                ));
            }
        }
    }
}
