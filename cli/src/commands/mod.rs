//! One file per command; what several commands share is here.

pub mod can_close;
pub mod config;
pub mod import;
pub mod next_steps;
pub mod policy;
pub mod report;
pub mod rules;
pub mod validate;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use escalint::stream::{CaseReader, Piece};
use escalint::{parse_now, Engine, Timestamp};

use crate::args::Common;
use crate::config::{Flags, Settings};
use crate::exit::Failure;
use crate::input::{self, Input};
use crate::output::Format;

/// The settings of a run (config file, then flags) and its engine (policy and rules).
pub fn setup(common: &Common, format: Option<Format>) -> Result<(Settings, Engine), Failure> {
    let settings = Settings::load(&Flags {
        policy: common.policy.clone(),
        select: common.rules.select.clone(),
        ignore: common.rules.ignore.clone(),
        map: common.table.map.clone(),
        format,
    })?;
    let engine = engine_for(settings.policy.value.as_ref())?.with_selection(settings.selection()?);
    Ok((settings, engine))
}

/// The engine of `--policy FILE`, or the embedded policy's.
pub fn engine_for(policy: Option<&PathBuf>) -> Result<Engine, Failure> {
    match policy {
        None => Ok(Engine::new()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::fatal(format!("cannot read the policy {}: {e}", path.display())))?;
            Engine::from_policy_json(&text).map_err(|e| {
                Failure::fatal(format!(
                    "{}: {e}; fix the policy or drop --policy to use the embedded one",
                    path.display()
                ))
            })
        }
    }
}

/// `--now`, read.
pub fn now_from(text: Option<&String>) -> Result<Option<Timestamp>, Failure> {
    // The error names the flag's value and gives an example of the expected form itself.
    text.map(|t| parse_now(t).map_err(|e| Failure::fatal(format!("--{e}")))).transpose()
}

/// Every case of one input (for next-steps and can-close, which answer per case). An input
/// with no case at all is one unreadable case (REC001, "the JSON text ends too early"), as in
/// the C and Python bindings: no answer must never read as "may close".
pub fn read_all(engine: &Engine, file: &Path) -> Result<Vec<Piece>, Failure> {
    let input = if file.as_os_str() == "-" { Input::Stdin } else { Input::File(file.to_path_buf()) };
    if matches!(input, Input::Stdin) {
        input::hint_if_terminal();
    }
    let (reader, _) =
        input::open(&input).map_err(|e| Failure::fatal(format!("{e}; give a case file or - for standard input")))?;
    let pieces: Vec<Piece> = CaseReader::new(reader, engine.limits().max_record_bytes).collect::<io::Result<_>>()?;
    if pieces.is_empty() {
        // Read as the bindings read empty text: REC001, the JSON text ends too early.
        return Ok(vec![Piece::Case { line: 1, text: Vec::new() }]);
    }
    Ok(pieces)
}

/// One report: pretty JSON. Several: JSON Lines.
pub fn print_reports(reports: &[serde_json::Value]) -> Result<(), Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    if reports.len() == 1 {
        serde_json::to_writer_pretty(&mut out, &reports[0]).map_err(|e| Failure::write(e.into()))?;
        writeln!(out).map_err(Failure::write)?;
    } else {
        for r in reports {
            serde_json::to_writer(&mut out, r).map_err(|e| Failure::write(e.into()))?;
            writeln!(out).map_err(Failure::write)?;
        }
    }
    out.flush().map_err(Failure::write)
}
