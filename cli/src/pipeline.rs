//! `validate`'s use of the core's streaming driver ([`escalint::pipeline`]): cases judged for
//! the output's format and written to the sink in input order, with a progress bar.

use std::io::{self, Write};

use escalint::pipeline::{Deliver, Pipeline, Stopped};
use escalint::stream::{CaseReader, PieceRef};
use escalint::{Engine, Timestamp};

use crate::exit::Failure;
use crate::output::{self, Judged, Sink};

/// One input being validated.
pub struct Run<'a> {
    pub engine: &'a Engine,
    pub now: Option<Timestamp>,
    pub bar: Option<&'a indicatif::ProgressBar>,
    /// Reports are serialised (json, jsonl) by the worker that judged them, with several.
    pub serialise: bool,
    /// The cases whose facts the summary needs.
    pub facts: output::FactsWanted,
}

/// The sink, and the progress bar moved on after each batch.
struct Writer<'s, 'b, W: Write> {
    sink: &'s mut Sink<W>,
    bar: Option<&'b indicatif::ProgressBar>,
}

impl<W: Write> Deliver<Judged> for Writer<'_, '_, W> {
    type Error = Failure;

    fn deliver(&mut self, judged: Judged) -> Result<(), Failure> {
        self.sink.write(&judged).map_err(Failure::write)
    }

    fn batch_delivered(&mut self, consumed: u64) -> Result<(), Failure> {
        if let Some(bar) = self.bar {
            bar.set_position(consumed);
        }
        Ok(())
    }
}

impl Run<'_> {
    /// Validate every case of `reader` with `workers` workers into `sink`, in input order. The
    /// result is the reading's: an I/O error ends the input after the cases read before it
    /// are written. With one worker the writer serialises straight into its buffer.
    pub fn run<R: io::Read + Send, W: Write + Send>(
        &self,
        reader: CaseReader<R>,
        sink: &mut Sink<W>,
        workers: usize,
    ) -> Result<io::Result<()>, Failure> {
        let serialise = self.serialise && workers > 1;
        let judge = |piece: PieceRef<'_>| output::judge(self.engine, piece, self.now, serialise, self.facts);
        let mut writer = Writer { sink, bar: self.bar };
        Pipeline::new(workers).run(reader, judge, &mut writer).map_err(|stopped| match stopped {
            Stopped::Delivering(failure) => failure,
            Stopped::WorkerFailed => Failure::fatal("a validation worker failed"),
        })
    }
}
