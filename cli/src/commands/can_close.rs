//! `escalint can-close`: may the case close, by this person, with these values.

use escalint::stream::read_piece;

use super::{engine_for, now_from, print_reports, read_all};
use crate::args::CanClose;
use crate::exit::{Failure, Outcome, Status};

/// One report per case of the file; status 1 when some case may not close.
pub fn run(args: CanClose) -> Outcome {
    let engine = engine_for(args.common.policy.as_ref())?;
    let now = now_from(args.common.now.as_ref())?;
    let proposal = args
        .proposal
        .map(|p| {
            std::fs::read(&p).map_err(|e| Failure::fatal(format!("cannot read the proposal {}: {e}", p.display())))
        })
        .transpose()?;
    let pieces = read_all(&engine, &args.file)?;
    let mut all_allowed = true;
    let mut reports = Vec::new();
    for piece in &pieces {
        let report = match read_piece(&engine, piece) {
            Ok(parsed) => engine.can_close_parsed_json(parsed, proposal.as_deref(), now),
            Err(v) => escalint::CanCloseReport {
                id: v.id,
                allowed: false,
                policy_version: v.policy_version,
                violations: v.violations,
            },
        };
        all_allowed &= report.allowed;
        reports.push(serde_json::to_value(report)?);
    }
    print_reports(&reports)?;
    Ok(Status::findings_if(!all_allowed))
}
