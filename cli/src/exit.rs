//! How a run ends: the exit status scripts can trust, and the failures that end a run early.

use std::io::{self, Write};
use std::process::ExitCode;

/// The answer of a run that finished: status 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 0: every case valid (warnings allowed), or every case may close.
    Success,
    /// 1: some case has an error, or some case may not close.
    Findings,
}

impl Status {
    /// `Findings` when `found`, else `Success`.
    pub fn findings_if(found: bool) -> Status {
        if found {
            Status::Findings
        } else {
            Status::Success
        }
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
        }
    }
}

/// A run that could not finish.
#[derive(Debug)]
pub enum Failure {
    /// Usage or I/O error: status 2, with a message on stderr saying what to do.
    Fatal(String),
    /// The reader of the output went away (`escalint validate big.jsonl | head`): the run
    /// stops quietly with status 0, as other Unix tools do.
    BrokenPipe,
}

/// The result of a command.
pub type Outcome = Result<Status, Failure>;

impl Failure {
    /// A usage or I/O error with this message.
    pub fn fatal(message: impl Into<String>) -> Failure {
        Failure::Fatal(message.into())
    }

    /// A failed write of the output: a closed pipe ends the run quietly.
    pub fn write(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Fatal(format!("cannot write the output: {e}"))
        }
    }

    /// Say what failed (on stderr) and give the exit status.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::BrokenPipe => ExitCode::SUCCESS,
            Failure::Fatal(message) => {
                // Not `eprintln!`: it panics (status 101) when stderr is a closed pipe, and
                // the status is what scripts trust. A message that cannot be shown is lost.
                let _ = writeln!(io::stderr(), "escalint: {message}");
                ExitCode::from(2)
            }
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Fatal(e.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Fatal(e.to_string())
    }
}
