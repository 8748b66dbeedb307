//! The inputs of a run: files, directories and stdin. Reading their cases is
//! `escalint::stream::CaseReader`'s (the reader the Python wheel uses too).
//!
//! Directories are walked as ripgrep walks them: symbolic links inside them are not followed
//! unless asked (`--follow`); when they are, a link back to a directory being walked (a loop)
//! is reported and not entered. Whatever the links, no file is read twice.

use std::collections::HashSet;
use std::fs::{self, File, Metadata};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use escalint::stream::Layout;

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

    /// How its cases are laid out: a `.jsonl` or `.ndjson` file is JSON Lines, whatever its
    /// first line holds; anything else is detected.
    pub fn layout(&self) -> Layout {
        match self {
            Input::Stdin => Layout::Detect,
            Input::File(p) => Layout::of_path(p),
        }
    }
}

/// What identifies a file whatever the path to it: device and inode (Unix), else the
/// canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

fn file_id(path: &Path, meta: &Metadata) -> io::Result<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Ok(FileId::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Ok(FileId::Path(fs::canonicalize(path)?))
    }
}

/// The walk of a run: files seen (never read twice), whether links are followed.
struct Walk {
    follow: bool,
    seen: HashSet<FileId>,
    /// Directories walked already (reached again through a link, they are not walked again).
    walked: HashSet<FileId>,
    inputs: Vec<Input>,
}

impl Walk {
    /// A file, unless it was found already (by another path or link).
    fn file(&mut self, path: PathBuf, meta: &Metadata) -> io::Result<()> {
        if self.seen.insert(file_id(&path, meta)?) {
            self.inputs.push(Input::File(path));
        }
        Ok(())
    }

    /// Every case file under `dir`, in path order; `ancestors`: the directories being walked
    /// (for loops).
    fn dir(&mut self, dir: &Path, ancestors: &mut Vec<FileId>) -> io::Result<()> {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<io::Result<_>>()?;
        entries.sort();
        for path in entries {
            let link = fs::symlink_metadata(&path)?;
            let meta = if link.file_type().is_symlink() {
                if !self.follow {
                    continue;
                }
                match fs::metadata(&path) {
                    Ok(meta) => meta,
                    Err(e) => {
                        warn(&format!("{}: a broken link ({e}); it is skipped", path.display()));
                        continue;
                    }
                }
            } else {
                link
            };
            if meta.is_dir() {
                let id = file_id(&path, &meta)?;
                if ancestors.contains(&id) {
                    warn(&format!(
                        "{}: a link back to a directory being walked (a loop); it is skipped",
                        path.display()
                    ));
                    continue;
                }
                if self.walked.insert(id.clone()) {
                    ancestors.push(id);
                    self.dir(&path, ancestors)?;
                    ancestors.pop();
                }
            } else if meta.is_file() && is_case_file(&path) {
                self.file(path, &meta)?;
            }
        }
        Ok(())
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

fn is_case_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| CASE_ENDINGS.iter().any(|c| c.eq_ignore_ascii_case(e)))
}

/// A warning on stderr; one that cannot be shown (stderr closed) changes nothing.
fn warn(message: &str) {
    let _ = writeln!(io::stderr(), "escalint: warning: {message}");
}

/// Expand the command line's paths: files as given (a link given by name is followed),
/// directories walked recursively for case files (ending in one of [`CASE_ENDINGS`]) in path
/// order (deterministic output), following links inside them only when `follow`. A directory
/// with no case file is an error: an audit pointed at the wrong path must not pass.
pub fn expand(paths: &[PathBuf], follow: bool) -> io::Result<Vec<Input>> {
    if paths.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let mut walk = Walk { follow, seen: HashSet::new(), walked: HashSet::new(), inputs: Vec::new() };
    for p in paths {
        if p.as_os_str() == "-" {
            walk.inputs.push(Input::Stdin);
            continue;
        }
        let meta = fs::metadata(p).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => {
                io::Error::new(io::ErrorKind::NotFound, format!("{}: no such file or directory", p.display()))
            }
            _ => io::Error::new(e.kind(), format!("{}: {e}", p.display())),
        })?;
        if meta.is_dir() {
            let id = file_id(p, &meta)?;
            if !walk.walked.insert(id.clone()) {
                continue;
            }
            let mut ancestors = vec![id];
            let before = walk.inputs.len();
            walk.dir(p, &mut ancestors).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
            // An audit pointed at the wrong path must not pass.
            if walk.inputs.len() == before {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no cases found in {}: no file ending in {} under it", p.display(), endings_looked_for()),
                ));
            }
        } else {
            walk.file(p.clone(), &meta)?;
        }
    }
    Ok(walk.inputs)
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
        let _ = writeln!(
            io::stderr(),
            "escalint: reading cases from standard input (end with Ctrl-D); give a file or directory to read it"
        );
    }
}
