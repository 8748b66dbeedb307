//! `escalint next-steps`: what must the agent do next, and by when.

use escalint::stream::read_piece;

use super::{engine_for, now_from, print_reports, read_all};
use crate::args::NextSteps;
use crate::exit::{Outcome, Status};

/// One report per case of the file; status 0 unless the run fails.
pub fn run(args: NextSteps) -> Outcome {
    let engine = engine_for(args.common.policy.as_ref())?;
    let now = now_from(args.common.now.as_ref())?;
    let pieces = read_all(&engine, &args.file)?;
    let reports: Vec<serde_json::Value> = pieces
        .iter()
        .map(|piece| match read_piece(&engine, piece) {
            Ok(parsed) => serde_json::to_value(engine.next_steps_parsed(&parsed, now)),
            Err(v) => serde_json::to_value(escalint::NextStepsReport {
                id: v.id,
                state: escalint::CaseState::Open,
                policy_version: v.policy_version,
                steps: Vec::new(),
                violations: v.violations,
            }),
        })
        .collect::<Result<_, _>>()?;
    print_reports(&reports)?;
    Ok(Status::Success)
}
