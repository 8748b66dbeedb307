//! Arbitrary bytes as a history file (JSON Lines or a JSON array), read however the reads
//! split it: the stream reader must never panic, must give the same pieces one by one and in
//! batches, must keep them in input order, and every piece must get a well-formed report.
//!
//! Input starting with `G`: a generated history instead — N cases in one of the layouts
//! (JSON Lines, an array one case a line, a pretty-printed array, pretty values one after the
//! other; as detected and as a `.jsonl` file is read), one byte of it changed or cut where the
//! fuzzer says. Whole, it must give exactly N reports; damaged, N reports or more, or fewer
//! only with a report that says what was not read (issue 18: "reports = cases, or the loss is
//! reported").
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::{self, Read};
use std::sync::OnceLock;

use escalint::stream::{validate_piece, Batch, CaseReader, Layout, Piece, PieceRef};

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

fn case(i: usize) -> serde_json::Value {
    serde_json::json!({"id": format!("G-{i}"), "procedure": "installs_escalation", "opened_at": "2026-11-20T09:15:00-05:00",
        "events": [{"at": "2026-11-20T10:00:00-05:00", "type": "update", "note": "a } ] , \" \\ x"}]})
}

/// `n` cases in layout `layout` (0..4), and whether the layout is an array.
fn history(n: usize, layout: u8) -> (String, bool) {
    let cases: Vec<serde_json::Value> = (0..n).map(case).collect();
    let compact: Vec<String> = cases.iter().map(|c| c.to_string()).collect();
    let pretty: Vec<String> = cases.iter().map(|c| serde_json::to_string_pretty(c).unwrap()).collect();
    match layout % 4 {
        0 => (compact.iter().map(|c| format!("{c}\n")).collect(), false),
        1 => (format!("[\n{}\n]\n", compact.join(",\n")), true),
        2 => (serde_json::to_string_pretty(&cases).unwrap() + "\n", true),
        _ => (pretty.join("\n") + "\n", false),
    }
}

fn generated(data: &[u8]) {
    let [layout, n, at_hi, at_lo, byte, how, ..] = *data else { return };
    let n = usize::from(n % 24) + 1;
    let (text, array) = history(n, layout);
    let layouts: &[Layout] = if array { &[Layout::Detect] } else { &[Layout::Detect, Layout::Lines] };
    let read = |text: &[u8], layout: Layout| -> Vec<Piece> {
        CaseReader::with_layout(text, 1 << 20, layout).map(|p| p.expect("no I/O error in memory")).collect()
    };
    for &layout in layouts {
        let whole = read(text.as_bytes(), layout);
        assert_eq!(whole.len(), n, "{layout:?} {text}");
        assert!(whole.iter().all(|p| matches!(p, Piece::Case { .. })), "{layout:?} {text}");
    }
    // One byte changed, removed or inserted; or the text cut there.
    let mut damaged = text.into_bytes();
    let at = (usize::from(at_hi) << 8 | usize::from(at_lo)) % damaged.len();
    match how % 4 {
        0 => damaged[at] = byte,
        1 => {
            damaged.remove(at);
        }
        2 => damaged.insert(at, byte),
        _ => damaged.truncate(at),
    }
    // In JSON Lines a changed line end joins two lines, which are then one case.
    let lines = count_newlines(&damaged) + usize::from(damaged.last().is_some_and(|b| *b != b'\n'));
    let expected = if layout % 4 == 0 { n.min(lines) } else { n };
    for &layout in layouts {
        let got = read(&damaged, layout);
        if got.len() < expected {
            let cut = how % 4 == 3;
            let said = got.iter().any(|p| match p {
                Piece::Malformed { violation, .. } => {
                    ["not read", "skipped", "not closed", "ends too early"].iter().any(|w| violation.message.contains(w))
                }
                Piece::Case { .. } => false,
            });
            assert!(cut || said, "{layout:?}: {} reports for {n} cases, no loss reported: {:?}", got.len(), String::from_utf8_lossy(&damaged));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(rest) = data.strip_prefix(b"G") {
        return generated(rest);
    }
    // The first two bytes choose how the input is read; the rest is the file.
    let [step, shape, text @ ..] = data else { return };
    let (step, layout_bit) = (usize::from(*step % 16) + 1, *step & 16);
    // A small size limit as well as a large one, so that the over-the-limit path is taken.
    let limit = if shape & 1 == 0 { 64 } else { 1 << 20 };
    let (max_pieces, max_bytes) = (usize::from(shape >> 1 & 7) + 1, usize::from(shape >> 4) * 16 + 1);
    let engine = ENGINE.get_or_init(escalint::Engine::new);

    // A `.jsonl` file is read as one: never an array.
    let layout = if layout_bit == 0 { Layout::Detect } else { Layout::Lines };
    let one_by_one: Vec<Piece> =
        CaseReader::with_layout(text, limit, layout).map(|p| p.expect("no I/O error in memory")).collect();
    let mut reader = CaseReader::with_layout(Chunks { text, step }, limit, layout);
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
