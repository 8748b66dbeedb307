//! The streaming driver: the cases of a stream read in batches, judged by several workers and
//! delivered in input order. The CLI's `validate` and the Python wheel's `validate_file` both
//! run on it; each says how a case is judged and where its result goes.

use std::collections::BTreeMap;
use std::io;
use std::sync::{mpsc, Condvar, Mutex};

use crate::stream::{Batch, CaseReader, PieceRef};

/// Where the judged cases go, in input order.
pub trait Deliver<T> {
    /// Why delivering failed (the run stops after it).
    type Error;
    /// One case's result, in input order.
    fn deliver(&mut self, judged: T) -> Result<(), Self::Error>;
    /// Every case of a batch is delivered; `consumed`: the input position the batch ends at.
    fn batch_delivered(&mut self, consumed: u64) -> Result<(), Self::Error> {
        let _ = consumed;
        Ok(())
    }
}

/// Why a run stopped before the end of its input (an I/O error reading it is not one of these:
/// see [`Pipeline::run`]).
#[derive(Debug)]
pub enum Stopped<E> {
    /// Delivering a result failed.
    Delivering(E),
    /// A worker panicked while judging a batch.
    WorkerFailed,
}

/// How a stream is run: by how many workers, in batches of what size.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline {
    /// Workers judging batches at the same time (1: one thread reads while another judges).
    pub workers: usize,
    /// Cases per batch at most.
    pub batch_cases: usize,
    /// Case text per batch at most, so that batches of large cases stay as small.
    pub batch_bytes: usize,
}

/// Cases per batch: small enough that a batch stays in the cache between reading and judging
/// (2,048 was ~25% slower with two workers).
const BATCH: usize = 128;
/// Case text per batch at most.
const BATCH_BYTES: usize = 256 << 10;
/// Batches read ahead of the oldest one not yet delivered, at most, per worker.
const AHEAD_PER_WORKER: u64 = 2;

impl Pipeline {
    /// A pipeline of `workers` workers (at least one) and batches of the default size.
    pub fn new(workers: usize) -> Self {
        Pipeline { workers: workers.max(1), batch_cases: BATCH, batch_bytes: BATCH_BYTES }
    }

    /// Read every case of `reader`, judge it with `judge` and deliver the result to `out`, in
    /// input order. The result is the reading's: an I/O error ends the input after the cases
    /// read before it are delivered.
    pub fn run<R, T, J, D>(
        &self,
        reader: CaseReader<R>,
        judge: J,
        out: &mut D,
    ) -> Result<io::Result<()>, Stopped<D::Error>>
    where
        R: io::Read + Send,
        T: Send,
        J: Fn(PieceRef<'_>) -> T + Sync,
        D: Deliver<T> + Send,
        D::Error: Send,
    {
        if self.workers <= 1 {
            return self.with_reading_thread(reader, judge, out);
        }
        // Several workers, each taking the next batch from the reader, judging it, and
        // delivering it when the batches before it are delivered. No thread only reads or only
        // writes: on a machine with as many cores as workers, such threads took turns with them.
        let reading = Mutex::new(Reading {
            reader,
            cases: self.batch_cases,
            bytes: self.batch_bytes,
            next: 0,
            finished: None,
            spare: Vec::new(),
        });
        let writing = Mutex::new(Writing { out, next: 0, waiting: BTreeMap::new(), failed: None });
        let written = Condvar::new();
        let ahead = AHEAD_PER_WORKER * self.workers as u64;
        // After a failure no worker takes another batch (an I/O error already set, stays).
        let stop_reading = || {
            lock(&reading).finished.get_or_insert(Ok(()));
        };
        std::thread::scope(|scope| {
            for _ in 0..self.workers {
                scope.spawn(|| loop {
                    let Some((seq, batch, consumed)) = lock(&reading).next_batch() else { return };
                    // A panic would leave the other workers waiting for this batch: stop them.
                    let judged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        batch.iter().map(&judge).collect::<Vec<T>>()
                    }));
                    lock(&reading).spare.push(batch);
                    let mut out = lock(&writing);
                    let Ok(judged) = judged else {
                        out.failed = Some(Stopped::WorkerFailed);
                        stop_reading();
                        written.notify_all();
                        return;
                    };
                    // Wait while too far ahead of the oldest batch not yet delivered (memory).
                    while seq >= out.next + ahead && out.failed.is_none() {
                        out = written.wait(out).unwrap_or_else(|e| e.into_inner());
                    }
                    if out.failed.is_some() {
                        stop_reading();
                        return;
                    }
                    out.waiting.insert(seq, (judged, consumed));
                    if let Err(e) = out.deliver_ready() {
                        out.failed = Some(Stopped::Delivering(e));
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

    /// One worker: a thread reads batches while this one judges and delivers each case at once
    /// (a batch's results are never all held).
    fn with_reading_thread<R, T, J, D>(
        &self,
        mut reader: CaseReader<R>,
        judge: J,
        out: &mut D,
    ) -> Result<io::Result<()>, Stopped<D::Error>>
    where
        R: io::Read + Send,
        J: Fn(PieceRef<'_>) -> T,
        D: Deliver<T>,
    {
        let (cases, bytes) = (self.batch_cases, self.batch_bytes);
        let (tx, rx) = mpsc::sync_channel::<(Batch, u64)>(4);
        // Batches come back once delivered and are read into again: a fixed set of buffers of
        // one size, so memory stays the same however long the input (fresh ones of varying
        // sizes, freed on another thread, let the allocator's footprint drift upwards).
        let (spare_tx, spare_rx) = mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || loop {
                let mut batch = spare_rx.try_recv().unwrap_or_else(|_| Batch::with_capacity(cases, bytes));
                let result = reader.read_batch(&mut batch, cases, bytes);
                if batch.is_empty() {
                    return result;
                }
                // A closed channel means the delivering stopped (it reports why).
                if tx.send((batch, reader.bytes_read())).is_err() {
                    return Ok(());
                }
                result?;
            });
            for (batch, consumed) in rx {
                for piece in batch.iter() {
                    out.deliver(judge(piece)).map_err(Stopped::Delivering)?;
                }
                let _ = spare_tx.send(batch);
                out.batch_delivered(consumed).map_err(Stopped::Delivering)?;
            }
            Ok(reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed"))))
        })
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
    cases: usize,
    bytes: usize,
    /// The number of the next batch.
    next: u64,
    /// Set at the end of the input, on an I/O error, or when delivering failed.
    finished: Option<io::Result<()>>,
    /// Batches delivered, to be read into again.
    spare: Vec<Batch>,
}

impl<R: io::Read> Reading<R> {
    /// The next batch, its number and the input position it ends at; None once finished.
    fn next_batch(&mut self) -> Option<(u64, Batch, u64)> {
        if self.finished.is_some() {
            return None;
        }
        let mut batch = self.spare.pop().unwrap_or_else(|| Batch::with_capacity(self.cases, self.bytes));
        let result = self.reader.read_batch(&mut batch, self.cases, self.bytes);
        // The cases read before an I/O error are still judged and delivered.
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
struct Writing<'o, T, D: Deliver<T>> {
    out: &'o mut D,
    /// The number of the next batch to deliver.
    next: u64,
    waiting: BTreeMap<u64, (Vec<T>, u64)>,
    failed: Option<Stopped<D::Error>>,
}

impl<T, D: Deliver<T>> Writing<'_, T, D> {
    /// Deliver the batches whose turn it is.
    fn deliver_ready(&mut self) -> Result<(), D::Error> {
        while let Some((judged, consumed)) = self.waiting.remove(&self.next) {
            for j in judged {
                self.out.deliver(j)?;
            }
            self.next += 1;
            self.out.batch_delivered(consumed)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects the lines of the cases delivered, and the positions of the batches.
    #[derive(Default)]
    struct Lines {
        lines: Vec<usize>,
        batches: Vec<u64>,
        fail_at: Option<usize>,
    }

    impl Deliver<usize> for Lines {
        type Error = String;
        fn deliver(&mut self, line: usize) -> Result<(), String> {
            if self.fail_at == Some(line) {
                return Err(format!("refused line {line}"));
            }
            self.lines.push(line);
            Ok(())
        }
        fn batch_delivered(&mut self, consumed: u64) -> Result<(), String> {
            self.batches.push(consumed);
            Ok(())
        }
    }

    fn history(cases: usize) -> String {
        (0..cases).map(|i| format!("{{\"id\": \"C-{i}\"}}\n")).collect()
    }

    fn pipeline(workers: usize) -> Pipeline {
        Pipeline { workers, batch_cases: 3, batch_bytes: 1 << 20 }
    }

    #[test]
    fn delivers_every_case_in_input_order_with_any_number_of_workers() {
        let text = history(50);
        for workers in [1, 2, 4] {
            let mut out = Lines::default();
            let reader = CaseReader::new(text.as_bytes(), 1 << 20);
            let read = pipeline(workers).run(reader, |piece| piece.line(), &mut out).unwrap_or_else(|_| panic!());
            assert!(read.is_ok());
            assert_eq!(out.lines, (1..=50).collect::<Vec<_>>(), "{workers} workers");
            // 17 batches (16 of 3, one of 2), each delivered after the one before it.
            assert_eq!(out.batches.len(), 17, "{workers} workers");
            assert!(out.batches.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(*out.batches.last().unwrap(), text.len() as u64);
        }
    }

    #[test]
    fn a_failed_delivery_stops_the_run_and_says_why() {
        let text = history(50);
        for workers in [1, 2] {
            let mut out = Lines { fail_at: Some(20), ..Lines::default() };
            let reader = CaseReader::new(text.as_bytes(), 1 << 20);
            match pipeline(workers).run(reader, |piece| piece.line(), &mut out) {
                Err(Stopped::Delivering(why)) => assert_eq!(why, "refused line 20"),
                _ => panic!("the run went on after a failed delivery ({workers} workers)"),
            }
            assert_eq!(out.lines, (1..20).collect::<Vec<_>>());
        }
    }

    /// A reader that fails after its first `ok` bytes.
    struct FailsAfter<'a> {
        text: &'a [u8],
        ok: usize,
    }

    impl io::Read for FailsAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.ok == 0 {
                return Err(io::Error::other("the disk went away"));
            }
            let n = buf.len().min(self.ok).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            self.ok -= n;
            Ok(n)
        }
    }

    #[test]
    fn an_io_error_ends_the_input_after_the_cases_read_before_it() {
        let text = history(50);
        // 10 whole cases (each `{"id": "C-i"}\n`, 14 bytes for i < 10) and part of the 11th.
        for workers in [1, 2] {
            let mut out = Lines::default();
            let reader = CaseReader::new(FailsAfter { text: text.as_bytes(), ok: 145 }, 1 << 20);
            let read = pipeline(workers).run(reader, |piece| piece.line(), &mut out).unwrap_or_else(|_| panic!());
            assert_eq!(read.unwrap_err().to_string(), "the disk went away");
            assert_eq!(out.lines, (1..=10).collect::<Vec<_>>(), "{workers} workers");
        }
    }

    #[test]
    fn a_worker_that_panics_stops_the_others() {
        let text = history(50);
        let mut out = Lines::default();
        let reader = CaseReader::new(text.as_bytes(), 1 << 20);
        let judge = |piece: PieceRef<'_>| if piece.line() == 30 { panic!("judging line 30") } else { piece.line() };
        assert!(matches!(pipeline(2).run(reader, judge, &mut out), Err(Stopped::WorkerFailed)));
        assert!(out.lines.len() < 30 && out.lines.iter().enumerate().all(|(i, &l)| l == i + 1));
    }
}
