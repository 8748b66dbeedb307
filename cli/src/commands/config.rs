//! `escalint config`: the settings in effect and where each came from.

use std::io::{self, Write};

use crate::args::Config;
use crate::config::{Flags, Settings};
use crate::exit::{Failure, Outcome, Status};

/// Print the settings (TOML-like, one per line, with their origin).
pub fn run(args: Config) -> Outcome {
    let s = Settings::load(&Flags {
        policy: args.policy,
        select: args.rules.select,
        ignore: args.rules.ignore,
        map: args.map,
        format: args.format,
    })?;
    let selection = s.selection()?;
    let mut out = io::stdout().lock();
    let file = match &s.file {
        Some(path) => path.display().to_string(),
        None => "none found (looked for escalint.toml, and [tool.escalint] in pyproject.toml, here and in every parent directory)".into(),
    };
    let path = |p: &Option<std::path::PathBuf>, default: &str| match p {
        Some(p) => format!("{:?}", p.display().to_string()),
        None => default.to_string(),
    };
    let list = |l: &[String]| format!("[{}]", l.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", "));
    let lines = [
        format!("# config file: {file}"),
        format!("policy = {:<40} # {}", path(&s.policy.value, "\"(embedded)\""), s.policy.origin),
        format!("select = {:<40} # {}", list(&s.select.value), s.select.origin),
        format!("ignore = {:<40} # {}", list(&s.ignore.value), s.ignore.origin),
        format!("map    = {:<40} # {}", path(&s.map.value, "\"(none: JSON input)\""), s.map.origin),
        format!("format = {:<40} # {}", format!("{:?}", s.format.value.name()), s.format.origin),
        format!(
            "# rules not run: {}",
            if selection.is_all() { "none".to_string() } else { selection.not_run().join(", ") }
        ),
    ];
    for line in lines {
        writeln!(out, "{line}").map_err(Failure::write)?;
    }
    Ok(Status::Success)
}
