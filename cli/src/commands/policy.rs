//! `escalint policy`: the policy in force, checked and normalised.

use std::io::{self, Write};

use super::engine_for;
use crate::args::Policy;
use crate::exit::{Failure, Outcome, Status};

/// Print the embedded policy, or `--policy FILE` as the engine read it.
pub fn run(args: Policy) -> Outcome {
    let engine = engine_for(args.policy.as_ref())?;
    let mut out = io::stdout().lock();
    let docs: Vec<&escalint::policy::PolicyDocument> = engine.policies().iter().map(|p| &p.document).collect();
    let text =
        if docs.len() == 1 { serde_json::to_string_pretty(docs[0]) } else { serde_json::to_string_pretty(&docs) };
    writeln!(out, "{}", text?).map_err(Failure::write)?;
    Ok(Status::Success)
}
