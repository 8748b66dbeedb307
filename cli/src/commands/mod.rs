//! One file per command; what several commands share is here.

pub mod can_close;
pub mod config;
pub mod import;
pub mod next_steps;
pub mod policy;
pub mod report;
pub mod rules;
pub mod validate;

use std::io::{self, BufWriter, Read, Write};
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

/// Answer every case of one input (for next-steps and can-close, which answer per case) as
/// it is read, and print the answers: one case, pretty JSON; more, JSON Lines. One case is
/// read ahead to know which; memory holds a case at a time, as `validate`'s does.
pub fn answer_each(
    engine: &Engine,
    file: &Path,
    mut answer: impl FnMut(&Piece) -> Result<serde_json::Value, Failure>,
) -> Result<(), Failure> {
    let input = if file.as_os_str() == "-" { Input::Stdin } else { Input::File(file.to_path_buf()) };
    if matches!(input, Input::Stdin) {
        input::hint_if_terminal();
    }
    let (reader, _) =
        input::open(&input).map_err(|e| Failure::fatal(format!("{e}; give a case file or - for standard input")))?;
    let mut pieces = CaseReader::with_layout(reader, engine.limits().max_record_bytes, input.layout());
    let mut next = || pieces.next().transpose().map_err(|e| Failure::fatal(format!("{}: {e}", input.name())));
    let mut out = BufWriter::new(io::stdout().lock());
    // No case at all: read as the bindings read empty text (REC001, the text ends too early).
    let first = next()?.unwrap_or(Piece::Case { line: 1, text: Vec::new() });
    let first = answer(&first)?;
    match next()? {
        None => {
            serde_json::to_writer_pretty(&mut out, &first).map_err(|e| Failure::write(e.into()))?;
            writeln!(out).map_err(Failure::write)?;
        }
        Some(second) => {
            print_line(&mut out, &first)?;
            print_line(&mut out, &answer(&second)?)?;
            while let Some(piece) = next()? {
                print_line(&mut out, &answer(&piece)?)?;
            }
        }
    }
    out.flush().map_err(Failure::write)
}

/// One answer as a line, written at once: the next case may be slow to come (a pipe).
fn print_line(out: &mut impl Write, report: &serde_json::Value) -> Result<(), Failure> {
    serde_json::to_writer(&mut *out, report).map_err(|e| Failure::write(e.into()))?;
    writeln!(out).map_err(Failure::write)?;
    out.flush().map_err(Failure::write)
}

/// One report: pretty JSON. Several: JSON Lines.
pub fn print_reports(reports: &[serde_json::Value]) -> Result<(), Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    if reports.len() == 1 {
        serde_json::to_writer_pretty(&mut out, &reports[0]).map_err(|e| Failure::write(e.into()))?;
        writeln!(out).map_err(Failure::write)?;
    } else {
        for r in reports {
            print_line(&mut out, r)?;
        }
    }
    out.flush().map_err(Failure::write)
}

/// A file read whole, refused up front when it is over `limit` bytes (it is one record).
pub fn read_bounded(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>, Failure> {
    let cannot = |e: io::Error| Failure::fatal(format!("cannot read the {what} {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut text = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut text).map_err(cannot)?;
    if text.len() > limit {
        return Err(Failure::fatal(format!(
            "the {what} {} is over {limit} bytes, the limit of one record (policy limits.max_record_bytes)",
            path.display()
        )));
    }
    Ok(text)
}
