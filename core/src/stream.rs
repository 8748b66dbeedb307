//! Many cases from one stream (a history export): JSON Lines or a JSON array, read case by
//! case in constant memory, for the command line and `escalint.validate_file`.
//!
//! The format is chosen by the first byte that is not white space (after a UTF-8 BOM):
//!
//! * `[` — a JSON array, read element by element (elements may span lines);
//! * anything else — JSON Lines: one case per line, every line reported (a blank one as
//!   REC001, so an export with holes shows). When the first case
//!   does not end on its first line (pretty-printed objects, one after the other, or a single
//!   pretty-printed case), the stream is read value by value instead.
//!
//! Nothing is dropped silently: text that is not a case becomes a report of its own, with the
//! line it starts on — a [`Piece::Case`] whose text the engine rejects (REC001 / REC006, the
//! message prefixed with the line), or a [`Piece::Malformed`] for a broken array structure or
//! a case over the size limit (which is counted, not kept in memory).

use std::io::{self, Read};

use crate::engine::Engine;
use crate::record::{ParsedRecord, Unreadable, REC001, REC006};
use crate::report::{ValidationReport, Violation};
use crate::time::Timestamp;

/// One piece of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// The text of one case (not yet parsed), and the 1-based line it starts on. In JSON
    /// Lines the text keeps its line end (`\n` or `\r\n`): it is read in one piece with it;
    /// `case_body` is the text without it, which every reader of a piece parses.
    Case {
        /// The 1-based line the case starts on.
        line: usize,
        /// The case's text.
        text: Vec<u8>,
    },
    /// Text that cannot be a case: a blank line, a broken array, or a case over
    /// `max_record_bytes`. The violation (REC001 or REC006) already names the line.
    Malformed {
        /// The 1-based line the text starts on.
        line: usize,
        /// Why it is not a case.
        violation: Violation,
    },
}

impl Piece {
    /// The 1-based line the piece starts on.
    pub fn line(&self) -> usize {
        match self {
            Piece::Case { line, .. } | Piece::Malformed { line, .. } => *line,
        }
    }
}

/// A case's text without the line end it has in JSON Lines (what [`validate_piece`] parses).
pub(crate) fn case_body(text: &[u8]) -> &[u8] {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    text.strip_suffix(b"\r").unwrap_or(text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Nothing read yet.
    Start,
    /// One case per line.
    Lines,
    /// JSON values one after the other, each possibly spanning lines.
    Values,
    /// Inside a JSON array; `first` until the first element has been read.
    Array {
        first: bool,
    },
    /// After the closing `]` of the array.
    AfterArray,
    Finished,
}

/// Buffered bytes with a line counter.
struct Source<R> {
    inner: R,
    /// 64 KiB, grown only to look at the whole first line of a stream ([`Source::peek_line`]).
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// 1-based line of the byte at `pos`.
    line: usize,
    /// 0-based column (in bytes) of the byte at `pos`.
    col: usize,
    /// Bytes consumed from `inner` so far.
    consumed: u64,
    /// The last byte consumed.
    last: Option<u8>,
}

impl<R: Read> Source<R> {
    fn new(inner: R) -> Self {
        Source { inner, buf: vec![0; 64 * 1024], pos: 0, end: 0, line: 1, col: 0, consumed: 0, last: None }
    }

    /// The unread bytes in the buffer, refilled when empty; empty at end of input.
    fn available(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.end {
            self.pos = 0;
            self.end = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
        }
        Ok(&self.buf[self.pos..self.end])
    }

    /// At least `n` unread bytes (fewer only at the end of input), however the reads split them.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.end - self.pos < n {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            if self.buf.len() < n {
                self.buf.resize(n, 0);
            }
            while self.end < n {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(0) => break,
                    Ok(read) => self.end += read,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.pos..self.end])
    }

    /// The unread bytes up to and including the first line end, or at most `max` bytes, or
    /// everything to the end of the input, whichever is shortest; nothing is consumed. The
    /// buffer grows as needed (to `max` at most).
    fn peek_line(&mut self, max: usize) -> io::Result<&[u8]> {
        let mut searched = 0;
        loop {
            let unread = self.end - self.pos;
            // Only the first `max` bytes: a line end further on, already in the buffer or not,
            // must not change the answer (it would depend on how the reads split the input).
            let window = unread.min(max);
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.pos + searched..self.pos + window]) {
                return Ok(&self.buf[self.pos..self.pos + searched + i + 1]);
            }
            searched = window;
            if unread >= max {
                return Ok(&self.buf[self.pos..self.pos + max]);
            }
            self.buf.copy_within(self.pos..self.end, 0);
            self.end = unread;
            self.pos = 0;
            if self.end == self.buf.len() {
                let grown = (self.buf.len() * 2).min(max.saturating_add(1)).max(self.end + 1);
                self.buf.resize(grown, 0);
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => return Ok(&self.buf[..self.end]),
                Ok(read) => self.end += read,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Consume `n` bytes of the current buffer, counting newlines.
    fn consume(&mut self, n: usize) {
        let newlines = memchr::memchr_iter(b'\n', &self.buf[self.pos..self.pos + n]).count();
        self.advance(n, newlines);
    }

    /// Consume `n` bytes of the current buffer holding `newlines` newlines (known already).
    fn advance(&mut self, n: usize, newlines: usize) {
        self.line += newlines;
        let bytes = &self.buf[self.pos..self.pos + n];
        self.col = match newlines {
            0 => self.col + n,
            _ => memchr::memrchr(b'\n', bytes).map_or(self.col + n, |i| n - i - 1),
        };
        if n > 0 {
            self.last = Some(bytes[n - 1]);
        }
        self.pos += n;
        self.consumed += n as u64;
    }

    /// Skip white space; the next byte, if any (not consumed).
    fn skip_ws(&mut self) -> io::Result<Option<u8>> {
        self.skip_while(|b| b.is_ascii_whitespace())
    }

    /// Skip white space up to the end of the line; the next byte (`\n` or the first of the
    /// line's text), if any (not consumed).
    fn skip_line_ws(&mut self) -> io::Result<Option<u8>> {
        self.skip_while(|b| b != b'\n' && b.is_ascii_whitespace())
    }

    fn skip_while(&mut self, skip: impl Fn(u8) -> bool) -> io::Result<Option<u8>> {
        loop {
            let chunk = self.available()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            match chunk.iter().position(|&b| !skip(b)) {
                Some(i) => {
                    let byte = chunk[i];
                    self.consume(i);
                    return Ok(Some(byte));
                }
                None => {
                    let n = chunk.len();
                    self.consume(n);
                }
            }
        }
    }
}

/// Where a scan of one JSON value stands: nesting depth and string state.
#[derive(Debug, Default, Clone, Copy)]
struct Scan {
    depth: usize,
    /// Bit `i`: level `i + 1` was opened by `[` (for the first 64 levels), to see a `}`
    /// that closes a `[` (or the reverse).
    arrays: u64,
    in_string: bool,
    escaped: bool,
    /// The value is a bare scalar (number, literal): it ends at white space or a delimiter.
    scalar: bool,
    started: bool,
    /// At the start of a line (only white space read on it so far), and its column.
    line_start: bool,
    col: usize,
    /// The column at which the cases of the stream start their lines, when known: a line
    /// that starts there with `{` while this value is still open starts the next case.
    case_col: Option<usize>,
}

/// What one byte did to a [`Scan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fed {
    More,
    /// The value ended with this byte; `include`: the byte belongs to the value.
    End {
        include: bool,
    },
    /// The value cannot be JSON, and the way it is broken would make it swallow the cases
    /// after it: the reader resynchronises instead.
    Broken(Break),
}

/// How a value is broken beyond reading on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// A line end inside a string (JSON strings cannot hold one unescaped): the string was
    /// not closed. The line end is the value's.
    LineEndInString,
    /// A `}` closing a `[`, or a `]` closing a `{`. The byte is the value's.
    Mismatch(u8),
    /// A `{` at the cases' column starts a line while the value is open: the value was not
    /// closed before the next case. The `{` is the next case's.
    NextCase,
}

impl Break {
    fn describe(self, line: usize) -> String {
        match self {
            Break::LineEndInString => format!("a string is not closed at the end of line {line}"),
            Break::Mismatch(b) => {
                let opened = if b == b'}' { '[' } else { '{' };
                format!("'{}' on line {line} closes a '{opened}'", b as char)
            }
            Break::NextCase => format!("it is not closed before the next case starts on line {line}"),
        }
    }
}

impl Scan {
    fn new(case_col: Option<usize>) -> Self {
        Scan { case_col, ..Scan::default() }
    }

    /// Feed one byte.
    #[inline]
    fn feed(&mut self, byte: u8) -> Fed {
        if !self.started {
            self.started = true;
            match byte {
                b'{' | b'[' => self.open(byte),
                b'"' => self.in_string = true,
                _ => self.scalar = true,
            }
            return Fed::More;
        }
        if self.scalar {
            return match byte {
                b',' | b']' | b'}' | b'[' | b'{' | b'"' | b' ' | b'\t' | b'\r' | b'\n' => Fed::End { include: false },
                _ => Fed::More,
            };
        }
        if self.in_string {
            match (self.escaped, byte) {
                (_, b'\n') => return Fed::Broken(Break::LineEndInString),
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Fed::End { include: true };
                    }
                }
                _ => {}
            }
            return Fed::More;
        }
        if byte == b'\n' {
            (self.line_start, self.col) = (true, 0);
            return Fed::More;
        }
        if self.line_start {
            if matches!(byte, b' ' | b'\t' | b'\r') {
                self.col += 1;
                return Fed::More;
            }
            self.line_start = false;
            if byte == b'{' && self.case_col == Some(self.col) {
                return Fed::Broken(Break::NextCase);
            }
        }
        match byte {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.open(byte),
            b'}' | b']' => {
                if self.depth <= 64 && self.depth > 0 {
                    let was_array = self.arrays >> (self.depth - 1) & 1 == 1;
                    if was_array != (byte == b']') {
                        return Fed::Broken(Break::Mismatch(byte));
                    }
                }
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    return Fed::End { include: true };
                }
            }
            _ => {}
        }
        Fed::More
    }

    fn open(&mut self, byte: u8) {
        if self.depth < 64 {
            let bit = 1u64 << self.depth;
            self.arrays = if byte == b'[' { self.arrays | bit } else { self.arrays & !bit };
        }
        self.depth = self.depth.saturating_add(1);
    }
}

/// The text of one case being collected at the end of a buffer (from `start`), kept only up
/// to the size limit (and a line end).
struct Collected<'b> {
    text: &'b mut Vec<u8>,
    start: usize,
    /// Bytes of the case, kept or not; a line end does not count.
    total: usize,
}

impl<'b> Collected<'b> {
    fn new(text: &'b mut Vec<u8>) -> Self {
        Collected { start: text.len(), text, total: 0 }
    }

    /// The case's text collected so far.
    fn body(&self) -> &[u8] {
        &self.text[self.start..]
    }

    fn push(&mut self, bytes: &[u8], limit: usize) {
        self.total = self.total.saturating_add(bytes.len());
        let room = limit.saturating_add(2).saturating_sub(self.text.len() - self.start);
        self.text.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    /// Take the last line of a text (`line`, ending with its `\n`; `cr`: a `\r` came just
    /// before it, maybe pushed already) in one piece, so the text's capacity is its length.
    fn push_line_end(&mut self, line: &[u8], cr: bool, limit: usize) {
        self.push(line, limit);
        self.total = self.total.saturating_sub(1 + usize::from(cr));
    }
}

/// Pieces read together, their texts in one buffer: what a pipeline hands its workers. Why:
/// one allocation per case (and its free on another thread) was a third of the reading
/// thread's time, and that thread's time limits how well more workers scale.
#[derive(Debug, Default)]
pub struct Batch {
    text: Vec<u8>,
    pieces: Vec<Entry>,
}

/// A piece read into a buffer: a case is where its text is in the buffer.
#[derive(Debug)]
enum Entry {
    Case { line: usize, text: std::ops::Range<usize> },
    Other(Piece),
}

/// A piece of a stream, borrowed from a [`Piece`] or a [`Batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceRef<'a> {
    /// A case's text (with its line end in JSON Lines: see [`Piece::Case`]).
    Case {
        /// The 1-based line the case starts on.
        line: usize,
        /// The case's text.
        text: &'a [u8],
    },
    /// Text that cannot be a case (see [`Piece::Malformed`]).
    Malformed {
        /// The 1-based line the text starts on.
        line: usize,
        /// Why it is not a case.
        violation: &'a Violation,
    },
}

impl PieceRef<'_> {
    /// The 1-based line the piece starts on.
    pub fn line(&self) -> usize {
        match self {
            PieceRef::Case { line, .. } | PieceRef::Malformed { line, .. } => *line,
        }
    }
}

impl<'a> From<&'a Piece> for PieceRef<'a> {
    fn from(piece: &'a Piece) -> Self {
        match piece {
            Piece::Case { line, text } => PieceRef::Case { line: *line, text },
            Piece::Malformed { line, violation } => PieceRef::Malformed { line: *line, violation },
        }
    }
}

impl Batch {
    /// An empty batch with room for `pieces` pieces and `text_bytes` bytes of case text. A
    /// batch keeps its room when read into again ([`CaseReader::read_batch`] empties it first).
    pub fn with_capacity(pieces: usize, text_bytes: usize) -> Self {
        Batch { text: Vec::with_capacity(text_bytes), pieces: Vec::with_capacity(pieces) }
    }

    /// The number of pieces.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    /// Whether the batch has no pieces.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The `i`-th piece (panics when `i >= len()`, as indexing does).
    pub fn get(&self, i: usize) -> PieceRef<'_> {
        match &self.pieces[i] {
            Entry::Case { line, text } => PieceRef::Case { line: *line, text: &self.text[text.clone()] },
            Entry::Other(piece) => piece.into(),
        }
    }

    /// The pieces, in input order.
    pub fn iter(&self) -> impl Iterator<Item = PieceRef<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// How the cases of a stream are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Decided from the text, as the module documentation says.
    #[default]
    Detect,
    /// JSON Lines (or, as detected, pretty-printed values one after the other), never an
    /// array, whatever the first line holds: what a `.jsonl` or `.ndjson` file is.
    Lines,
}

impl Layout {
    /// The layout a file's name promises: JSON Lines for `.jsonl` and `.ndjson`, else detected.
    pub fn of_path(path: &std::path::Path) -> Layout {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("jsonl" | "ndjson") => Layout::Lines,
            _ => Layout::Detect,
        }
    }
}

/// Reads the cases of a stream one at a time. An iterator of `io::Result<Piece>`: an I/O
/// error ends it. [`CaseReader::read_batch`] reads many at once.
pub struct CaseReader<R> {
    src: Source<R>,
    mode: Mode,
    layout: Layout,
    max_record_bytes: usize,
    /// The column at which the cases start their lines in an array or in values one after the
    /// other (the latest case that started a line says); where a broken case ends.
    case_col: Option<usize>,
    /// The line of the last thing read between cases (`[`, `,`, the end of a value): a case
    /// that starts on a later line starts its line.
    token_line: usize,
    /// Blank lines before the first case of JSON Lines, reported before it.
    blanks: std::ops::Range<usize>,
    /// The first case of JSON Lines, held while `blanks` are reported.
    held: Option<Piece>,
}

impl<R: Read> CaseReader<R> {
    /// A reader that reports cases over `max_record_bytes` (the policy limit, e.g.
    /// `engine.limits().max_record_bytes`) as REC006 without keeping them in memory.
    pub fn new(inner: R, max_record_bytes: usize) -> Self {
        Self::with_layout(inner, max_record_bytes, Layout::Detect)
    }

    /// A reader of a stream whose layout is known (or to be detected).
    pub fn with_layout(inner: R, max_record_bytes: usize, layout: Layout) -> Self {
        CaseReader {
            src: Source::new(inner),
            mode: Mode::Start,
            layout,
            max_record_bytes,
            case_col: None,
            token_line: 0,
            blanks: 0..0,
            held: None,
        }
    }

    /// The 1-based line the reader has reached.
    pub fn line(&self) -> usize {
        self.src.line
    }

    /// Bytes read from the input so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.src.consumed
    }

    fn blank(line: usize) -> Piece {
        Self::malformed(line, "the line is blank; expected one JSON object per line".into())
    }

    fn malformed(line: usize, message: String) -> Piece {
        Piece::Malformed { line, violation: Violation::new(&REC001, "", format!("line {line}: {message}")) }
    }

    fn piece(&self, line: usize, collected: Collected) -> Entry {
        if collected.total > self.max_record_bytes {
            collected.text.truncate(collected.start);
            let violation = Violation::new(
                &REC006,
                "",
                format!(
                    "line {line}: the record is {} bytes; the limit is {} bytes (policy limits.max_record_bytes)",
                    collected.total, self.max_record_bytes
                ),
            );
            return Entry::Other(Piece::Malformed { line, violation });
        }
        Entry::Case { line, text: collected.start..collected.text.len() }
    }

    /// Read the rest of the current line, its line end included.
    fn read_line(&mut self, collected: &mut Collected) -> io::Result<()> {
        let limit = self.max_record_bytes;
        loop {
            let before = self.src.last;
            let chunk = self.src.available()?;
            if chunk.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', chunk) {
                Some(i) => {
                    let cr = if i > 0 { chunk[i - 1] == b'\r' } else { before == Some(b'\r') };
                    collected.push_line_end(&chunk[..=i], cr, limit);
                    self.src.advance(i + 1, 1);
                    return Ok(());
                }
                None => {
                    let n = chunk.len();
                    collected.push(chunk, limit);
                    self.src.advance(n, 0);
                }
            }
        }
    }

    /// The next line of JSON Lines: a case, a blank line, or None at the end of the input.
    fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Entry>> {
        let (line, before) = (self.src.line, self.src.consumed);
        match self.src.skip_line_ws()? {
            // White space without a line end at the very end is a blank last line too.
            None => Ok((self.src.consumed > before).then(|| Entry::Other(Self::blank(line)))),
            Some(b'\n') => {
                self.src.consume(1);
                Ok(Some(Entry::Other(Self::blank(line))))
            }
            Some(_) => {
                let mut collected = Collected::new(buf);
                self.read_line(&mut collected)?;
                Ok(Some(self.piece(line, collected)))
            }
        }
    }

    /// Read one JSON value starting at the next byte (continuing `scan`); ends at its last
    /// byte, at a delimiter after a scalar (not consumed), at end of input, or where the value
    /// is broken beyond reading on (then the break and its line).
    fn read_value(&mut self, scan: &mut Scan, collected: &mut Collected) -> io::Result<Option<(Break, usize)>> {
        loop {
            let limit = self.max_record_bytes;
            let chunk = self.src.available()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let mut ended = None;
            for (i, &b) in chunk.iter().enumerate() {
                match scan.feed(b) {
                    Fed::More => {}
                    Fed::End { include } => {
                        ended = Some((if include { i + 1 } else { i }, None));
                        break;
                    }
                    Fed::Broken(k) => {
                        ended = Some((if k == Break::NextCase { i } else { i + 1 }, Some(k)));
                        break;
                    }
                }
            }
            match ended {
                Some((n, broken)) => {
                    collected.push(&chunk[..n], limit);
                    self.src.consume(n);
                    self.token_line = self.src.line;
                    let line = |k| if k == Break::LineEndInString { self.src.line - 1 } else { self.src.line };
                    return Ok(broken.map(|k| (k, line(k))));
                }
                None => {
                    let n = chunk.len();
                    collected.push(chunk, limit);
                    self.src.consume(n);
                }
            }
        }
    }

    /// Read the value starting at the next byte as a case of an array or of values one after
    /// the other; a broken one is reported with what was skipped to find the next case.
    fn read_case(&mut self, buf: &mut Vec<u8>) -> io::Result<Entry> {
        let line = self.src.line;
        if line > self.token_line {
            self.case_col = Some(self.src.col);
        }
        let mut collected = Collected::new(buf);
        match self.read_value(&mut Scan::new(self.case_col), &mut collected)? {
            None => Ok(self.piece(line, collected)),
            Some((k, at)) => {
                collected.text.truncate(collected.start);
                self.broken(line, k, at)
            }
        }
    }

    /// Report the case starting on `line`, broken by `k` on line `at`, and go on to the next
    /// line that starts a case (a `{` at the cases' column), counting what is skipped.
    fn broken(&mut self, line: usize, k: Break, at: usize) -> io::Result<Entry> {
        let what = format!("the case is broken: {}", k.describe(at));
        if k == Break::NextCase {
            // Its comma (if any) was read as part of it: the next case comes without one.
            if let Mode::Array { .. } = self.mode {
                self.mode = Mode::Array { first: true };
            }
            return Ok(Entry::Other(Self::malformed(line, what)));
        }
        self.skip_to_next_case(line, what)
    }

    /// Report what is wrong at `line` and skip to the next line that starts a case, saying
    /// how much was skipped (or that the rest of the input is, when no case follows).
    fn skip_to_next_case(&mut self, line: usize, what: String) -> io::Result<Entry> {
        let (from, before) = (self.src.line, self.src.consumed);
        if self.src.col != 0 {
            self.skip_line()?;
        }
        let found = loop {
            match self.src.skip_line_ws()? {
                None => break false,
                Some(b'{') if self.case_col.is_none_or(|c| c == self.src.col) => break true,
                Some(_) => self.skip_line()?,
            }
        };
        let skipped = self.src.consumed - before;
        let message = if found {
            self.token_line = 0;
            if let Mode::Array { .. } = self.mode {
                self.mode = Mode::Array { first: true };
            }
            format!(
                "{what}; {skipped} bytes after it (lines {from}-{}) are skipped, and reading resumes with the case on line {}",
                self.src.line - 1,
                self.src.line
            )
        } else {
            self.mode = Mode::Finished;
            format!(
                "{what}; no case starts a line after it, so the remaining {skipped} bytes (lines {from}-{}) are not read",
                (self.src.line - usize::from(self.src.last == Some(b'\n'))).max(from)
            )
        };
        Ok(Entry::Other(Self::malformed(line, message)))
    }

    /// Skip to the start of the next line.
    fn skip_line(&mut self) -> io::Result<()> {
        if self.src.skip_while(|b| b != b'\n')?.is_some() {
            self.src.consume(1);
        }
        Ok(())
    }

    /// Whether a stream whose first byte is `[` is JSON Lines after all: when more lines
    /// follow a first line that is a whole value, or a broken one, or one that does not
    /// plainly go on (a JSON Lines case that is a list, or a broken one, is one line of many).
    /// A first line that is the whole input, or longer than any case, is an array's.
    fn first_line_is_a_case(&mut self) -> io::Result<bool> {
        let max = self.max_record_bytes.saturating_add(2);
        let line = self.src.peek_line(max)?;
        if line.last() != Some(&b'\n') {
            return Ok(false);
        }
        let (len, body) = (line.len(), case_body(line));
        let mut scan = Scan::new(None);
        let one_line = match body.iter().enumerate().map(|(i, &b)| (i, scan.feed(b))).find(|(_, f)| *f != Fed::More) {
            None => !matches!(body.trim_ascii_end().last(), Some(b'{' | b'[' | b',' | b':')),
            Some(_) => true,
        };
        if !one_line {
            return Ok(false);
        }
        // Anything on a later line?
        let mut want = len.saturating_add(64).min(max);
        loop {
            let ahead = self.src.peek(want)?;
            if ahead[len.min(ahead.len())..].iter().any(|b| !b.is_ascii_whitespace()) {
                return Ok(true);
            }
            if ahead.len() < want || want >= max {
                return Ok(false);
            }
            want = want.saturating_mul(2).min(max);
        }
    }

    /// The next piece; a case's text is appended to `buf`.
    fn next_into(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Entry>> {
        loop {
            match self.mode {
                Mode::Finished => return Ok(None),
                Mode::Start => {
                    if self.src.peek(3)?.starts_with(b"\xEF\xBB\xBF") {
                        self.src.consume(3);
                        // A byte-order mark is not a column.
                        self.src.col = 0;
                    }
                    let (start, before) = (self.src.line, self.src.consumed);
                    let Some(first) = self.src.skip_ws()? else {
                        // Only white space: JSON Lines of blank lines (none if the input is empty);
                        // white space after the last line end is one more.
                        let unended = self.src.consumed > before && self.src.last != Some(b'\n');
                        let end = self.src.line + usize::from(unended);
                        self.blanks = start..end;
                        self.mode = Mode::Lines;
                        continue;
                    };
                    if first == b'[' && self.layout != Layout::Lines && !self.first_line_is_a_case()? {
                        self.src.consume(1);
                        self.token_line = self.src.line;
                        self.mode = Mode::Array { first: true };
                        continue;
                    }
                    // JSON Lines, unless the first value plainly continues on the next line
                    // (its first line is incomplete and ends with `{`, `[`, `,` or `:`). A
                    // truncated JSON Lines record ends anywhere else and stays one line.
                    let (line, col) = (self.src.line, self.src.col);
                    let mut first_line = Vec::new();
                    let mut collected = Collected::new(&mut first_line);
                    self.read_line(&mut collected)?;
                    let body = case_body(collected.body());
                    let mut scan = Scan::new(Some(col));
                    let complete = body.iter().any(|&b| scan.feed(b) != Fed::More);
                    let continues = matches!(body.trim_ascii_end().last(), Some(b'{' | b'[' | b',' | b':'));
                    if complete || scan.scalar || !continues || collected.total > self.max_record_bytes {
                        // The blank lines before it are lines of JSON Lines too.
                        self.blanks = start..line;
                        self.held = Some(match self.piece(line, collected) {
                            Entry::Case { line, .. } => Piece::Case { line, text: first_line },
                            Entry::Other(piece) => piece,
                        });
                        self.mode = Mode::Lines;
                        continue;
                    }
                    self.mode = Mode::Values;
                    self.case_col = Some(col);
                    // The first line's end is part of the value's text (and size).
                    let total = collected.total.saturating_add(1);
                    let mut collected = Collected::new(buf);
                    collected.text.extend_from_slice(&first_line);
                    collected.total = total;
                    scan.feed(b'\n');
                    return Ok(Some(match self.read_value(&mut scan, &mut collected)? {
                        None => self.piece(line, collected),
                        Some((k, at)) => {
                            collected.text.truncate(collected.start);
                            self.broken(line, k, at)?
                        }
                    }));
                }
                Mode::Lines => {
                    if !self.blanks.is_empty() {
                        let line = self.blanks.start;
                        self.blanks.start += 1;
                        return Ok(Some(Entry::Other(Self::blank(line))));
                    }
                    if let Some(piece) = self.held.take() {
                        return Ok(Some(match piece {
                            Piece::Case { line, text } => {
                                let start = buf.len();
                                buf.extend_from_slice(&text);
                                Entry::Case { line, text: start..buf.len() }
                            }
                            other => Entry::Other(other),
                        }));
                    }
                    let piece = self.next_line(buf)?;
                    if piece.is_none() {
                        self.mode = Mode::Finished;
                    }
                    return Ok(piece);
                }
                Mode::Values => {
                    if self.src.skip_ws()?.is_none() {
                        self.mode = Mode::Finished;
                        return Ok(None);
                    }
                    return Ok(Some(self.read_case(buf)?));
                }
                Mode::Array { first } => {
                    let Some(next) = self.src.skip_ws()? else {
                        self.mode = Mode::Finished;
                        return Ok(Some(Entry::Other(Self::malformed(
                            self.src.line,
                            "the JSON array is not closed: ] is missing at the end of the input".into(),
                        ))));
                    };
                    if next == b']' {
                        self.src.consume(1);
                        self.mode = Mode::AfterArray;
                        continue;
                    }
                    if !first {
                        // After an element: `,` then the next element.
                        let line = self.src.line;
                        if matches!(next, b'{' | b'[' | b'"') {
                            // A case where a comma should be: read it as if the comma were there.
                            self.mode = Mode::Array { first: true };
                            return Ok(Some(Entry::Other(Self::malformed(
                                line,
                                "expected , or ] between the cases of the JSON array: a comma is missing before the case here; it is read as if the comma were there".into(),
                            ))));
                        }
                        if next != b',' {
                            let what = format!(
                                "expected , or ] between the cases of the JSON array, found '{}'",
                                next as char
                            );
                            return Ok(Some(self.skip_to_next_case(line, what)?));
                        }
                        self.src.consume(1);
                        self.token_line = self.src.line;
                        match self.src.skip_ws()? {
                            Some(b']') => {
                                self.src.consume(1);
                                self.mode = Mode::AfterArray;
                                return Ok(Some(Entry::Other(Self::malformed(
                                    line,
                                    "a comma before ] (an empty case) in the JSON array".into(),
                                ))));
                            }
                            Some(_) => {}
                            None => continue,
                        }
                    }
                    self.mode = Mode::Array { first: false };
                    return Ok(Some(self.read_case(buf)?));
                }
                Mode::AfterArray => {
                    // Only white space may follow the closing `]`.
                    self.mode = Mode::Finished;
                    if self.src.skip_ws()?.is_some() {
                        return Ok(Some(Entry::Other(Self::malformed(
                            self.src.line,
                            "text after the closing ] of the JSON array; it is not read".into(),
                        ))));
                    }
                    return Ok(None);
                }
            }
        }
    }
}

impl<R: Read> CaseReader<R> {
    /// Read up to `max_pieces` pieces (fewer at the end of the input, none after it), or
    /// until the batch holds `max_bytes` of text, into `batch` (emptied first). On an I/O
    /// error the pieces read before it stay in the batch; the reader then ends.
    pub fn read_batch(&mut self, batch: &mut Batch, max_pieces: usize, max_bytes: usize) -> io::Result<()> {
        batch.text.clear();
        batch.pieces.clear();
        while batch.pieces.len() < max_pieces && batch.text.len() < max_bytes {
            let piece = match self.next_into(&mut batch.text) {
                Ok(Some(piece)) => piece,
                Ok(None) => break,
                Err(e) => {
                    self.mode = Mode::Finished;
                    return Err(e);
                }
            };
            batch.pieces.push(piece);
        }
        Ok(())
    }
}

impl<R: Read> Iterator for CaseReader<R> {
    type Item = io::Result<Piece>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut text = Vec::new();
        match self.next_into(&mut text) {
            Ok(piece) => piece.map(|piece| {
                Ok(match piece {
                    // The text starts the buffer: it is the case's, whole.
                    Entry::Case { line, .. } => Piece::Case { line, text },
                    Entry::Other(piece) => piece,
                })
            }),
            Err(e) => {
                self.mode = Mode::Finished;
                Some(Err(e))
            }
        }
    }
}

/// Put the line of a case into the messages of the problems that made it unreadable:
/// serde_json's "at line L column C" (relative to the case) becomes the line in the stream.
pub(crate) fn locate_unreadable(unreadable: &mut Unreadable, line: usize) {
    for v in &mut unreadable.problems {
        v.message = locate_message(&v.message, line);
    }
}

fn locate_message(message: &str, line: usize) -> String {
    if let Some(at) = message.rfind(" at line ") {
        let rest = &message[at + " at line ".len()..];
        if let Some((l, c)) = rest.split_once(" column ") {
            if let (Ok(l), Ok(c)) = (l.parse::<usize>(), c.parse::<usize>()) {
                return format!("line {}, column {c}: {}", line + l.saturating_sub(1), &message[..at]);
            }
        }
    }
    format!("line {line}: {message}")
}

/// Validate one piece of a stream: a case as `validate` would (its REC001/REC006 messages
/// naming its line in the stream), a malformed piece as a report of its own.
pub fn validate_piece<'a>(engine: &Engine, piece: impl Into<PieceRef<'a>>, now: Option<Timestamp>) -> ValidationReport {
    engine.validate(read_piece(engine, piece), now)
}

/// Read one piece of a stream as a case; when it is not one (unreadable text, a malformed
/// piece), why, the REC001/REC006 placed in the stream — what every answer about a broken
/// piece reports.
pub fn read_piece<'a>(engine: &Engine, piece: impl Into<PieceRef<'a>>) -> Result<ParsedRecord, Unreadable> {
    match piece.into() {
        PieceRef::Case { line, text } => engine.read(case_body(text)).map_err(|mut unreadable| {
            locate_unreadable(&mut unreadable, line);
            unreadable
        }),
        PieceRef::Malformed { violation, .. } => {
            Err(Unreadable { id: String::new(), problems: vec![violation.clone()] })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of a text, read one by one; read in batches (of every size), the same.
    fn pieces(text: &str, limit: usize) -> Vec<(usize, Result<String, String>)> {
        let shown = |p: PieceRef<'_>| match p {
            PieceRef::Case { line, text } => (line, Ok(String::from_utf8(text.to_vec()).unwrap())),
            PieceRef::Malformed { line, violation } => (line, Err(format!("{} {}", violation.rule, violation.message))),
        };
        let one_by_one: Vec<_> =
            CaseReader::new(text.as_bytes(), limit).map(|p| shown((&p.expect("no I/O error")).into())).collect();
        for (max_pieces, max_bytes) in [(1, usize::MAX), (2, usize::MAX), (3, 1), (128, 40), (128, 1 << 20)] {
            let mut reader = CaseReader::new(ByteByByte(text.as_bytes()), limit);
            let (mut batched, mut batch) = (Vec::new(), Batch::default());
            loop {
                reader.read_batch(&mut batch, max_pieces, max_bytes).expect("no I/O error");
                if batch.is_empty() {
                    break;
                }
                assert!(batch.len() <= max_pieces);
                batched.extend(batch.iter().map(shown));
            }
            assert_eq!(batched, one_by_one, "batches of {max_pieces} pieces / {max_bytes} bytes");
        }
        one_by_one
    }

    const BLANK: &str = "REC001 line {}: the line is blank; expected one JSON object per line";

    fn blank(line: usize) -> (usize, Result<String, String>) {
        (line, Err(BLANK.replace("{}", &line.to_string())))
    }

    #[test]
    fn json_lines_one_case_per_line_blank_lines_reported() {
        let got = pieces("{\"id\":\"a\"}\r\n\n  {\"id\":\"b\"}\n{broken\n \t\r\n[1]", 1000);
        assert_eq!(
            got,
            vec![
                (1, Ok("{\"id\":\"a\"}\r\n".into())),
                blank(2),
                (3, Ok("{\"id\":\"b\"}\n".into())),
                (4, Ok("{broken\n".into())),
                blank(5),
                (6, Ok("[1]".into())),
            ]
        );
        assert_eq!(case_body(b"{}\r\n"), b"{}");
        assert_eq!(case_body(b"{}\n"), b"{}");
        assert_eq!(case_body(b"{}"), b"{}");
    }

    #[test]
    fn blank_lines_before_and_after_the_cases_are_reported_too() {
        assert_eq!(
            pieces("\u{feff}\n  \n{\"id\":\"a\"}\n\n", 1000),
            vec![blank(1), blank(2), (3, Ok("{\"id\":\"a\"}\n".into())), blank(4)]
        );
        assert_eq!(pieces("{\"id\":\"a\"}\n  ", 1000), vec![(1, Ok("{\"id\":\"a\"}\n".into())), blank(2)]);
        // Only white space: every line of it is blank; an empty input has no lines.
        assert_eq!(pieces("  \n\n", 1000), vec![blank(1), blank(2)]);
        assert_eq!(pieces("\n  ", 1000), vec![blank(1), blank(2)]);
        assert_eq!(pieces("\u{feff}", 1000), vec![]);
        assert_eq!(pieces("", 1000), vec![]);
        // Between pretty-printed values and array elements white space is just white space.
        assert_eq!(pieces("\n{\n}\n\n{\n}\n\n", 1000), vec![(2, Ok("{\n}".into())), (5, Ok("{\n}".into()))]);
        assert_eq!(pieces("\n[\n\n{}\n\n]\n\n", 1000), vec![(4, Ok("{}".into()))]);
    }

    #[test]
    fn a_broken_line_does_not_swallow_the_next_ones() {
        let got = pieces("{\"id\":\"a\"}\n{\"id\": \"b\", \"x\": [\n{\"id\":\"c\"}\n", 1000);
        assert_eq!(got.len(), 3);
        assert_eq!(got[2], (3, Ok("{\"id\":\"c\"}\n".into())));
        let got = pieces("{\"id\": \"a\", \"x\n{\"id\":\"b\"}\n", 1000);
        assert_eq!(got, vec![(1, Ok("{\"id\": \"a\", \"x\n".into())), (2, Ok("{\"id\":\"b\"}\n".into()))]);
    }

    /// Hands out its text one byte per read, so every byte is a buffer boundary.
    struct ByteByByte<'a>(&'a [u8]);

    impl Read for ByteByByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn buffer_boundaries_change_nothing() {
        let big = format!("{{\"id\":\"{}\"}}", "x".repeat(41));
        for text in [
            format!("\u{feff}\n {{\"id\":\"a\"}}\r\n\r\n{big}\r\n{big}x\r\n{{bad\n  "),
            "{\r\n \"id\": \"a\"\r\n}\r\n{\"id\":\"b\"}".into(),
            format!("[{big}, 7, \"x\"]\n"),
        ] {
            let whole: Vec<Piece> = CaseReader::new(text.as_bytes(), 50).map(Result::unwrap).collect();
            let bytes: Vec<Piece> = CaseReader::new(ByteByByte(text.as_bytes()), 50).map(Result::unwrap).collect();
            assert_eq!(whole, bytes, "{text:?}");
        }
    }

    #[test]
    fn bytes_read_counts_the_input_consumed() {
        let text = "\u{feff}{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n";
        let mut reader = CaseReader::new(text.as_bytes(), 1000);
        assert_eq!(reader.bytes_read(), 0);
        reader.next();
        assert_eq!(reader.bytes_read(), 3 + 11);
        assert_eq!(reader.by_ref().count(), 2);
        assert_eq!(reader.bytes_read(), text.len() as u64);
        let mut reader = CaseReader::new(&b"[{}, {}]"[..], 1000);
        reader.next();
        assert_eq!(reader.bytes_read(), 3);
        assert_eq!(reader.by_ref().count(), 1);
        assert_eq!(reader.bytes_read(), 8);
    }

    #[test]
    fn json_array_elements_may_span_lines() {
        let text = "\u{feff}[\n  {\"id\": \"a\",\n   \"s\": \"]},\\\"\"},\n  {\"id\": \"b\"}, 7, \"x\"\n]\n";
        let got = pieces(text, 1000);
        assert_eq!(
            got,
            vec![
                (2, Ok("{\"id\": \"a\",\n   \"s\": \"]},\\\"\"}".into())),
                (4, Ok("{\"id\": \"b\"}".into())),
                (4, Ok("7".into())),
                (4, Ok("\"x\"".into())),
            ]
        );
        assert!(pieces("[]", 10).is_empty());
        let got = pieces("[\n {\"a\": \"x,]\"},\n {\"b\": [1,2]}\n]\n", 100);
        assert_eq!(got, vec![(2, Ok("{\"a\": \"x,]\"}".into())), (3, Ok("{\"b\": [1,2]}".into()))]);
    }

    #[test]
    fn broken_arrays_are_reported_not_dropped() {
        // A comma missing between cases spanning lines: reported, and the case after it read.
        let got = pieces("[{\"id\":\"a\"},\n{\"id\":\"b\"}\n{\"id\":\"c\"}]", 1000);
        assert_eq!(got[1], (2, Ok("{\"id\":\"b\"}".into())));
        assert!(matches!(&got[2], (3, Err(m)) if m.starts_with("REC001 line 3: expected , or ]")), "{got:?}");
        assert_eq!(got[3], (3, Ok("{\"id\":\"c\"}".into())));
        assert_eq!(got.len(), 4);
        // Anything else there: skipped to the next case that starts a line, the bytes counted.
        let got = pieces("[\n{\"id\":\"a\"} x 7,\n{\"id\":\"b\"}\n]", 1000);
        assert!(
            matches!(&got[1], (2, Err(m)) if m.contains("found 'x'; 5 bytes after it (lines 2-2) are skipped, and reading resumes with the case on line 3")),
            "{got:?}"
        );
        assert_eq!(got[2], (3, Ok("{\"id\":\"b\"}".into())));

        let got = pieces("[{\"id\":\"a\"},\n", 1000);
        assert!(matches!(&got[1], (2, Err(m)) if m.contains("not closed")), "{got:?}");

        // A truncated element is the element's own (unreadable) case, then the open array.
        let got = pieces("[{\"a\":1}, {\"b\":", 100);
        assert_eq!(got[1], (1, Ok("{\"b\":".into())));
        assert!(matches!(&got[2], (1, Err(m)) if m.contains("not closed")), "{got:?}");
        assert_eq!(got.len(), 3);

        let got = pieces("[\n{\"id\":\"a\"}\n] trailing", 1000);
        assert!(matches!(&got[1], (3, Err(m)) if m.contains("after the closing ]")), "{got:?}");

        let got = pieces("[{\"id\":\"a\"},]", 1000);
        assert!(matches!(&got[1], (1, Err(m)) if m.contains("comma before ]")), "{got:?}");
    }

    #[test]
    fn pretty_printed_cases_are_read_value_by_value() {
        let text = "{\n  \"id\": \"a\"\n}\n{\n  \"id\": \"b\"\n}\n";
        assert_eq!(
            pieces(text, 1000),
            vec![(1, Ok("{\n  \"id\": \"a\"\n}".into())), (4, Ok("{\n  \"id\": \"b\"\n}".into()))]
        );
        let text = "{\r\n  \"id\": \"X\",\r\n  \"events\": []\r\n}\r\n";
        assert_eq!(pieces(text, 1000), vec![(1, Ok(text.trim_end().into()))]);
        // The size of a value counts its line ends (the first line's too).
        let got = pieces("{\n  \"id\": \"X\"\n}\n", 14);
        assert!(matches!(&got[0], (1, Err(m)) if m.starts_with("REC006 line 1: the record is 15 bytes")), "{got:?}");
    }

    #[test]
    fn cases_over_the_limit_are_counted_not_kept() {
        let big = format!("{{\"id\":\"{}\"}}", "x".repeat(100));
        let got = pieces(&format!("{big}\n{{\"id\":\"b\"}}\n"), 50);
        assert!(
            matches!(&got[0], (1, Err(m)) if m.starts_with("REC006 line 1: the record is 109 bytes; the limit is 50")),
            "{got:?}"
        );
        assert_eq!(got[1], (2, Ok("{\"id\":\"b\"}\n".into())));
        // The line end does not count: a case of exactly the limit is read, with \r\n too.
        let exact = format!("{{\"id\":\"{}\"}}", "x".repeat(41));
        assert_eq!(
            pieces(&format!("{exact}\r\n{exact}\n"), 50),
            vec![(1, Ok(format!("{exact}\r\n"))), (2, Ok(format!("{exact}\n")))]
        );
        let got = pieces(&format!("{exact}x\r\n"), 50);
        assert!(matches!(&got[0], (1, Err(m)) if m.contains("51 bytes")), "{got:?}");
        let got = pieces(&format!("[{big}, {{}}]"), 50);
        assert!(matches!(&got[0], (1, Err(m)) if m.contains("109 bytes")), "{got:?}");
        assert_eq!(got[1], (1, Ok("{}".into())));
    }

    /// A first line that starts with `[` and is longer than the limit is an array's however
    /// the input arrives: whole (its line end already read) or a few bytes a read (the
    /// input the stream fuzz target found, fuzz/regressions/stream-long-first-line).
    #[test]
    fn a_long_first_line_is_judged_alike_however_the_reads_split() {
        let long = format!("[{{\"id\":\"a\",\"notes\":\"{}\"}},\n{{\"id\":\"b\"}}]\n", "x".repeat(100));
        let got = pieces(&long, 64);
        assert!(matches!(&got[0], (1, Err(m)) if m.starts_with("REC006 line 1")), "{got:?}");
        assert_eq!(got[1], (2, Ok("{\"id\":\"b\"}".into())));
        let broken = format!("[oGpath2\u{1}\r{}\n{{\"id\":\"b\"}}\n", "n".repeat(100));
        assert_eq!(pieces(&broken, 64)[0], (1, Ok("oGpath2\u{1}".into())));
    }

    /// Issue 18, 2: a limit near the type's largest value (which once wrapped at `limit + 2`
    /// and read 2,000 lines as one record) still gives one piece per line, in every layout.
    #[test]
    fn a_limit_near_the_largest_size_reads_every_line() {
        let lines: Vec<String> = (0..1500).map(|i| format!("{{\"id\":\"L-{i}\"}}")).collect();
        for limit in [usize::MAX, usize::MAX - 1, usize::MAX - 2, usize::MAX / 2 + 1, 1 << 30] {
            let got = pieces(&(lines.join("\n") + "\n"), limit);
            assert_eq!(got.len(), 1500, "JSON Lines, limit {limit}");
            assert!(got.iter().all(|(_, p)| p.is_ok()), "limit {limit}");
            assert_eq!(got[1499], (1500, Ok("{\"id\":\"L-1499\"}\n".into())), "limit {limit}");
            assert_eq!(pieces(&format!("[{}]", lines.join(",\n")), limit).len(), 1500, "array, limit {limit}");
        }
    }

    #[test]
    fn unreadable_cases_name_their_line() {
        let engine = Engine::new();
        let input = "{\"id\":\"ESC-1\",\"procedure\":\"leadership_request\",\"opened_at\":\"2026-11-20T09:15:00-05:00\"}\n\n{\"id\": oops}\n[1]\n";
        let reports: Vec<ValidationReport> =
            CaseReader::new(input.as_bytes(), 1 << 20).map(|p| validate_piece(&engine, &p.unwrap(), None)).collect();
        let messages: Vec<&str> = reports.iter().skip(1).map(|r| r.violations[0].message.as_str()).collect();
        assert_eq!(reports.len(), 4);
        assert_eq!(reports[0].id, "ESC-1");
        assert!(reports[1..].iter().all(|r| r.violations[0].rule == "REC001"));
        assert_eq!(messages[0], "line 2: the line is blank; expected one JSON object per line");
        // The line end is not parsed: the column is the line's, not "line 2, column 0".
        assert!(messages[1].starts_with("line 3, column 8: the text is not valid JSON"), "{}", messages[1]);
        assert!(messages[2].starts_with("line 4: the top level is"), "{}", messages[2]);
        let truncated =
            validate_piece(&engine, &CaseReader::new(&b"{\"id\": \"a\n"[..], 100).next().unwrap().unwrap(), None);
        assert!(
            truncated.violations[0].message.starts_with("line 1, column 9: the JSON text ends too early"),
            "{:?}",
            truncated.violations
        );
    }
}
