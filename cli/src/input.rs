//! The inputs of a run: files, directories and stdin. Reading their cases is
//! `escalint::stream::CaseReader`'s (the reader the Python wheel uses too).

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

/// An input: a file path or standard input.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// The file endings a directory walk picks, compared case-insensitively (`CASE.JSON`).
pub const CASE_ENDINGS: [&str; 3] = ["json", "jsonl", "ndjson"];

/// The endings as a message says them: ".json, .jsonl or .ndjson (any case)".
pub fn endings_looked_for() -> String {
    let dotted: Vec<String> = CASE_ENDINGS.iter().map(|e| format!(".{e}")).collect();
    let (last, rest) = dotted.split_last().expect("endings");
    format!("{} or {last} (any case)", rest.join(", "))
}

/// Expand the command line's paths: files as given, directories walked recursively for
/// case files (ending in one of [`CASE_ENDINGS`]) in path order (deterministic output). A
/// directory with no case file is an error: an audit pointed at the wrong path must not pass.
pub fn expand(paths: &[PathBuf]) -> io::Result<Vec<Input>> {
    if paths.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let mut inputs = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            if found.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no cases found in {}: no file ending in {} under it", p.display(), endings_looked_for()),
                ));
            }
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("{}: no such file or directory", p.display())));
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| CASE_ENDINGS.iter().any(|c| c.eq_ignore_ascii_case(e)))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Open an input for reading, with its size when known (for the progress bar). Unbuffered:
/// the case reader buffers.
pub fn open(input: &Input) -> io::Result<(Box<dyn Read + Send>, Option<u64>)> {
    // UTF-16 and UTF-32 with a BOM are transcoded; text that is clearly not UTF-8 is one
    // error naming its likely encoding (escalint_table::decode).
    let decode = |r: Box<dyn Read + Send>, name: &str| -> io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(escalint_table::decode::Decoded::new(r, name)?))
    };
    match input {
        Input::Stdin => Ok((decode(Box::new(io::stdin()), "<stdin>")?, None)),
        Input::File(p) => {
            let f = File::open(p).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
            let size = f.metadata().ok().map(|m| m.len());
            Ok((decode(Box::new(f), &p.display().to_string())?, size))
        }
    }
}

/// Reading standard input from a terminal waits for typing: say so, once, on stderr (a pipe
/// or a file says nothing).
pub fn hint_if_terminal() {
    if io::stdin().is_terminal() {
        eprintln!("escalint: reading cases from standard input (end with Ctrl-D); give a file or directory to read it");
    }
}
