//! The parallel, in-order batch pipeline of `validate`: cases are read in batches, judged by
//! the workers and written in input order.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{mpsc, Condvar, Mutex};

use escalint::stream::{Batch, CaseReader};
use escalint::{Engine, Timestamp};

use crate::exit::Failure;
use crate::output::{self, Judged, Sink};

/// Cases per batch: small enough that a batch stays in the cache between reading and judging
/// (2,048 was ~25% slower with two workers).
const BATCH: usize = 128;
/// Case text per batch at most, so that batches of large cases stay as small.
const BATCH_BYTES: usize = 256 << 10;

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

/// Batches read ahead of the oldest one not yet written, at most, per worker.
const AHEAD_PER_WORKER: u64 = 2;

impl Run<'_> {
    /// One worker: a thread reads batches while this one judges and writes each case at once
    /// (a batch's reports are never all held). The result is the reading's: an I/O error ends
    /// the input after the cases read before it are written.
    pub fn with_reading_thread<R: io::Read + Send, W: Write>(
        &self,
        mut reader: CaseReader<R>,
        sink: &mut Sink<W>,
    ) -> Result<io::Result<()>, Failure> {
        let (tx, rx) = mpsc::sync_channel::<(Batch, u64)>(4);
        // Batches come back once written and are read into again: a fixed set of buffers of one
        // size, so memory stays the same however long the input (fresh ones of varying sizes,
        // freed on another thread, let the allocator's footprint drift upwards).
        let (spare_tx, spare_rx) = mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || loop {
                let mut batch = spare_rx.try_recv().unwrap_or_else(|_| Batch::with_capacity(BATCH, BATCH_BYTES));
                let result = reader.read_batch(&mut batch, BATCH, BATCH_BYTES);
                if batch.is_empty() {
                    return result;
                }
                // A closed channel means the writing stopped (it reports why).
                if tx.send((batch, reader.bytes_read())).is_err() {
                    return Ok(());
                }
                result?;
            });
            for (batch, consumed) in rx {
                for piece in batch.iter() {
                    sink.write(&output::judge(self.engine, piece, self.now, false, self.facts))
                        .map_err(Failure::write)?;
                }
                let _ = spare_tx.send(batch);
                show_progress(self.bar, consumed);
            }
            Ok(reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed"))))
        })
    }

    /// Several workers, each taking the next batch from the reader, judging it, and writing
    /// it when the batches before it are written. No thread only reads or only writes: on a
    /// machine with as many cores as workers, such threads took turns with the workers.
    pub fn in_workers<R: io::Read + Send, W: Write + Send>(
        &self,
        reader: CaseReader<R>,
        sink: &mut Sink<W>,
        workers: usize,
    ) -> Result<io::Result<()>, Failure> {
        let reading = Mutex::new(Reading { reader, next: 0, finished: None, spare: Vec::new() });
        let writing = Mutex::new(Writing { sink, next: 0, waiting: BTreeMap::new(), failed: None });
        let written = Condvar::new();
        let ahead = AHEAD_PER_WORKER * workers as u64;
        // After a failure no worker takes another batch (an I/O error already set, stays).
        let stop_reading = || {
            lock(&reading).finished.get_or_insert(Ok(()));
        };
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| loop {
                    let Some((seq, batch, consumed)) = lock(&reading).next_batch() else { return };
                    // A panic would leave the other workers waiting for this batch: stop them.
                    let judged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        batch
                            .iter()
                            .map(|piece| output::judge(self.engine, piece, self.now, self.serialise, self.facts))
                            .collect::<Vec<Judged>>()
                    }));
                    lock(&reading).spare.push(batch);
                    let mut out = lock(&writing);
                    let Ok(judged) = judged else {
                        out.failed = Some(Failure::fatal("a validation worker failed"));
                        stop_reading();
                        written.notify_all();
                        return;
                    };
                    // Wait while too far ahead of the oldest batch not yet written (memory).
                    while seq >= out.next + ahead && out.failed.is_none() {
                        out = written.wait(out).unwrap_or_else(|e| e.into_inner());
                    }
                    if out.failed.is_some() {
                        stop_reading();
                        return;
                    }
                    out.waiting.insert(seq, (judged, consumed));
                    if let Err(e) = out.write_ready(self.bar) {
                        out.failed = Some(e);
                        stop_reading();
                    }
                    written.notify_all();
                });
            }
        });
        let out = writing.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(failed) = out.failed {
            return Err(failed);
        }
        Ok(reading.into_inner().unwrap_or_else(|e| e.into_inner()).finished.unwrap_or(Ok(())))
    }
}

/// A mutex's guard, also after a worker panicked while holding it (the data stays usable:
/// every update is complete before the lock is released).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The reader shared by the workers.
struct Reading<R> {
    reader: CaseReader<R>,
    /// The number of the next batch.
    next: u64,
    /// Set at the end of the input, on an I/O error, or when writing failed.
    finished: Option<io::Result<()>>,
    /// Batches written, to be read into again.
    spare: Vec<Batch>,
}

impl<R: io::Read> Reading<R> {
    /// The next batch, its number and the input position it ends at; None once finished.
    fn next_batch(&mut self) -> Option<(u64, Batch, u64)> {
        if self.finished.is_some() {
            return None;
        }
        let mut batch = self.spare.pop().unwrap_or_else(|| Batch::with_capacity(BATCH, BATCH_BYTES));
        let result = self.reader.read_batch(&mut batch, BATCH, BATCH_BYTES);
        // The cases read before an I/O error are still judged and written.
        if let Err(e) = result {
            self.finished = Some(Err(e));
        } else if batch.is_empty() {
            self.finished = Some(Ok(()));
        }
        if batch.is_empty() {
            return None;
        }
        self.next += 1;
        Some((self.next - 1, batch, self.reader.bytes_read()))
    }
}

/// The output shared by the workers: judged batches waiting for their turn.
struct Writing<'s, W: Write> {
    sink: &'s mut Sink<W>,
    /// The number of the next batch to write.
    next: u64,
    waiting: BTreeMap<u64, (Vec<Judged>, u64)>,
    failed: Option<Failure>,
}

impl<W: Write> Writing<'_, W> {
    /// Write the batches whose turn it is.
    fn write_ready(&mut self, bar: Option<&indicatif::ProgressBar>) -> Result<(), Failure> {
        while let Some((judged, consumed)) = self.waiting.remove(&self.next) {
            for j in &judged {
                self.sink.write(j).map_err(Failure::write)?;
            }
            self.next += 1;
            show_progress(bar, consumed);
        }
        Ok(())
    }
}

fn show_progress(bar: Option<&indicatif::ProgressBar>, consumed: u64) {
    if let Some(bar) = bar {
        bar.set_position(consumed);
    }
}
