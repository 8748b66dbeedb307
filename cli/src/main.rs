//! `escalint`: validate escalation histories, plan next steps, check closings. This file only
//! dispatches: the flags are in `args`, each command in `commands/`, the exit status in `exit`.

mod args;
mod commands;
mod config;
mod exit;
mod html;
mod input;
mod output;
mod pipeline;
mod table;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: reading a case allocates many small strings that worker threads free; the
/// system allocator spent ~15% of a run on that (cross-thread frees, consolidation).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let outcome = match cli.command {
        args::Command::Validate(a) => commands::validate::run(a),
        args::Command::NextSteps(a) => commands::next_steps::run(a),
        args::Command::CanClose(a) => commands::can_close::run(a),
        args::Command::Rules(a) => commands::rules::run(a),
        args::Command::Policy(a) => commands::policy::run(a),
        args::Command::Report(a) => commands::report::run(a),
        args::Command::Import(a) => commands::import::run(a),
        args::Command::Config(a) => commands::config::run(a),
    };
    match outcome {
        Ok(status) => status.into(),
        Err(failure) => failure.report(),
    }
}
