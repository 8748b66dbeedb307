//! Arbitrary bytes as a history file (JSON Lines or a JSON array), read however the reads
//! split it: the stream reader must never panic, must give the same pieces one by one and in
//! batches, must keep them in input order, and every piece must get a well-formed report.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::{self, Read};
use std::sync::OnceLock;

use escalint::stream::{validate_piece, Batch, CaseReader, Piece, PieceRef};

static ENGINE: OnceLock<escalint::Engine> = OnceLock::new();

/// Hands out at most `step` bytes per read, so buffer boundaries fall everywhere.
struct Chunks<'a> {
    text: &'a [u8],
    step: usize,
}

impl Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.text.len().min(buf.len()).min(self.step);
        buf[..n].copy_from_slice(&self.text[..n]);
        self.text = &self.text[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    // The first two bytes choose how the input is read; the rest is the file.
    let [step, shape, text @ ..] = data else { return };
    let step = usize::from(*step % 16) + 1;
    // A small size limit as well as a large one, so that the over-the-limit path is taken.
    let limit = if shape & 1 == 0 { 64 } else { 1 << 20 };
    let (max_pieces, max_bytes) = (usize::from(shape >> 1 & 7) + 1, usize::from(shape >> 4) * 16 + 1);
    let engine = ENGINE.get_or_init(escalint::Engine::new);

    let one_by_one: Vec<Piece> = CaseReader::new(text, limit).map(|p| p.expect("no I/O error in memory")).collect();
    let mut reader = CaseReader::new(Chunks { text, step }, limit);
    let (mut batch, mut batched) = (Batch::default(), 0usize);
    loop {
        reader.read_batch(&mut batch, max_pieces, max_bytes).expect("no I/O error in memory");
        if batch.is_empty() {
            break;
        }
        assert!(batch.len() <= max_pieces);
        for piece in batch.iter() {
            assert_eq!(piece, PieceRef::from(&one_by_one[batched]), "piece {batched}: batched differs from one by one");
            batched += 1;
        }
    }
    assert_eq!(batched, one_by_one.len(), "batched reading lost or added pieces");
    // Input is left unread only after a report that says so (text after a JSON array's `]`).
    assert!(reader.bytes_read() <= text.len() as u64);
    if reader.bytes_read() < text.len() as u64 {
        assert!(matches!(one_by_one.last(), Some(Piece::Malformed { .. })), "input left unread without a report");
    }

    let lines = 1 + count_newlines(text);
    let mut last_line = 0;
    for piece in &one_by_one {
        // Pieces come in input order, each on a line of the input.
        assert!(
            piece.line() >= last_line && piece.line() <= lines,
            "line {} after {last_line} of {lines}",
            piece.line()
        );
        last_line = piece.line();
        let report = validate_piece(engine, piece, None);
        assert!(serde_json::from_str::<serde_json::Value>(&report.to_json()).is_ok());
        if let Piece::Case { text: case, .. } = piece {
            assert!(case.len() <= text.len());
        }
    }
});

fn count_newlines(text: &[u8]) -> usize {
    text.iter().filter(|b| **b == b'\n').count()
}
