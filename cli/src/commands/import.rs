//! `escalint import`: the cases of a CSV export, read through a mapping, as JSON Lines.

use std::io::{self, BufWriter, Write};

use crate::args::Import;
use crate::config::{Flags, Settings};
use crate::exit::{Failure, Outcome, Status};
use crate::table::{self, Tables};

/// One case per row on stdout; what could not be mapped on stderr (file, line, column), and
/// status 1 if anything could not.
pub fn run(args: Import) -> Outcome {
    let settings = Settings::load(&Flags { map: args.map.clone(), ..Flags::default() })?;
    let Some(map) = &settings.map.value else {
        return Err(Failure::fatal(
            "import needs a mapping: --map MAP.toml (or `map` in escalint.toml); see docs/exports.md",
        ));
    };
    let mut tables = Tables::load(map, args.events.as_ref())?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr().lock();
    let mut problems = 0usize;
    let mut rows = table::rows(&tables.mapping, &mut tables.events, &args.file)?;
    for row in rows.by_ref() {
        let row = row.map_err(|e| Failure::fatal(e.to_string()))?;
        serde_json::to_writer(&mut out, &row.case).map_err(|e| Failure::write(e.into()))?;
        out.write_all(b"\n").map_err(Failure::write)?;
        for p in &row.problems {
            problems += 1;
            let hint = p.hint.as_deref().map(|h| format!(" (hint: {h})")).unwrap_or_default();
            let _ = writeln!(err, "{} {} {}: {}{hint}", p.rule, p.severity.as_str(), p.path, p.message);
        }
    }
    tables.events.put_back(rows);
    for (source, orphan) in tables.events.orphans() {
        problems += 1;
        let _ = writeln!(err, "{}", orphan.problem(&source).message);
    }
    out.flush().map_err(Failure::write)?;
    if problems > 0 {
        let _ = writeln!(err, "escalint: {problems} value(s) could not be mapped; the cases above lack them");
    }
    Ok(Status::findings_if(problems > 0))
}
