//! Reading cases from files and stdin, streamed: JSON Lines line by line, a JSON array element
//! by element, a single (pretty-printed) object as one case. Every input line or element
//! becomes exactly one item — blank, broken or oversized ones included — so nothing is lost.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One case as read: where it came from and its raw bytes (or why it has none).
#[derive(Debug)]
pub struct Item {
    pub source: std::sync::Arc<str>,
    /// 1-based line of the case's first byte.
    pub line: u64,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    Text(Vec<u8>),
    /// A whitespace-only line in JSON Lines.
    Blank,
    /// Longer than the record limit: skipped without being held in memory.
    TooLong(u64),
    /// A JSON array or document that ended before its element did.
    Truncated(String),
}

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

/// Expand the command line's paths: files as given, directories walked recursively for
/// `*.json`, `*.jsonl` and `*.ndjson` files in path order (deterministic output).
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
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "jsonl" | "ndjson")) {
            out.push(path);
        }
    }
    Ok(())
}

/// Open an input for reading, with its size when known (for the progress bar).
pub fn open(input: &Input) -> io::Result<(Box<dyn BufRead + Send>, Option<u64>)> {
    match input {
        Input::Stdin => Ok((Box::new(BufReader::with_capacity(1 << 20, io::stdin())), None)),
        Input::File(p) => {
            let f = File::open(p).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
            let size = f.metadata().ok().map(|m| m.len());
            Ok((Box::new(BufReader::with_capacity(1 << 20, f)), size))
        }
    }
}

/// How a stream is laid out, decided from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Lines,
    Array,
    Document,
}

/// Streams the items of one input, calling `emit` for each; `progress` gets bytes read.
pub struct Reader<R: BufRead> {
    inner: R,
    source: std::sync::Arc<str>,
    max_bytes: usize,
    line: u64,
    consumed: u64,
}

impl<R: BufRead> Reader<R> {
    pub fn new(inner: R, source: &str, max_bytes: usize) -> Self {
        Reader { inner, source: source.into(), max_bytes, line: 1, consumed: 0 }
    }

    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    fn item(&self, line: u64, body: Body) -> Item {
        Item { source: self.source.clone(), line, body }
    }

    /// Read every item, in order.
    pub fn for_each(&mut self, mut emit: impl FnMut(Item, u64) -> io::Result<()>) -> io::Result<()> {
        self.skip_bom()?;
        match self.layout()? {
            Layout::Lines => self.lines(&mut emit),
            Layout::Array => self.array(&mut emit),
            Layout::Document => self.document(&mut emit),
        }
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        let buf = self.inner.fill_buf()?;
        if buf.starts_with(b"\xef\xbb\xbf") {
            self.inner.consume(3);
            self.consumed += 3;
        }
        Ok(())
    }

    /// `[` first: an array. `{` on a first line that is not a whole object: one document.
    /// Otherwise JSON Lines.
    fn layout(&mut self) -> io::Result<Layout> {
        let buf = self.inner.fill_buf()?;
        let first = buf.iter().position(|b| !b.is_ascii_whitespace());
        match first.map(|i| buf[i]) {
            Some(b'[') => Ok(Layout::Array),
            Some(b'{') => {
                let line_end = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
                let first_line = &buf[..line_end];
                if serde_json::from_slice::<serde::de::IgnoredAny>(first_line).is_ok() || buf.len() > self.max_bytes {
                    Ok(Layout::Lines)
                } else {
                    Ok(Layout::Document)
                }
            }
            _ => Ok(Layout::Lines),
        }
    }

    fn lines(&mut self, emit: &mut impl FnMut(Item, u64) -> io::Result<()>) -> io::Result<()> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let line = self.line;
            let (read, too_long) = read_line_capped(&mut self.inner, &mut buf, self.max_bytes)?;
            if read == 0 {
                return Ok(());
            }
            self.consumed += read;
            self.line += 1;
            let body = if too_long {
                Body::TooLong(read)
            } else if buf.iter().all(u8::is_ascii_whitespace) {
                Body::Blank
            } else {
                // A copy of exactly the line's size; `buf` keeps its capacity for the next one.
                Body::Text(buf.clone())
            };
            emit(self.item(line, body), self.consumed)?;
        }
    }

    /// Split a JSON array into its elements without parsing them (depth and string tracking
    /// only), so each element is validated independently and memory stays bounded.
    fn array(&mut self, emit: &mut impl FnMut(Item, u64) -> io::Result<()>) -> io::Result<()> {
        let mut element: Vec<u8> = Vec::new();
        let (mut depth, mut in_string, mut escaped, mut started, mut oversized) = (0usize, false, false, false, false);
        let mut element_line = self.line;
        let mut element_bytes = 0u64;
        loop {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let chunk = chunk.to_vec();
            self.inner.consume(chunk.len());
            self.consumed += chunk.len() as u64;
            for &b in &chunk {
                if b == b'\n' {
                    self.line += 1;
                }
                if !started {
                    if b == b'[' {
                        started = true;
                        depth = 1;
                        element_line = self.line;
                    }
                    continue;
                }
                if depth == 0 {
                    continue; // after the closing bracket
                }
                let mut boundary = false;
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' => depth -= 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                boundary = true;
                            }
                        }
                        b',' if depth == 1 => boundary = true,
                        _ => {}
                    }
                }
                if boundary {
                    if oversized {
                        emit(self.item(element_line, Body::TooLong(element_bytes)), self.consumed)?;
                    } else if !element.iter().all(u8::is_ascii_whitespace) {
                        emit(self.item(element_line, Body::Text(std::mem::take(&mut element))), self.consumed)?;
                    }
                    element.clear();
                    element_bytes = 0;
                    oversized = false;
                    element_line = self.line;
                    continue;
                }
                if element.is_empty() && !oversized && b.is_ascii_whitespace() {
                    if b == b'\n' {
                        element_line = self.line;
                    }
                    continue;
                }
                if element.is_empty() && !oversized {
                    element_line = self.line;
                }
                element_bytes += 1;
                if oversized {
                    continue;
                }
                if element.len() >= self.max_bytes {
                    oversized = true;
                    element = Vec::new();
                    continue;
                }
                element.push(b);
            }
        }
        if depth > 0 && (oversized || !element.iter().all(u8::is_ascii_whitespace)) {
            emit(self.item(element_line, Body::Truncated("the JSON array ends inside this element".into())), self.consumed)?;
        } else if depth > 0 {
            emit(self.item(self.line, Body::Truncated("the JSON array is not closed with ]".into())), self.consumed)?;
        }
        Ok(())
    }

    /// A single pretty-printed case (or several concatenated): read whole, within the limit.
    fn document(&mut self, emit: &mut impl FnMut(Item, u64) -> io::Result<()>) -> io::Result<()> {
        let mut text = Vec::new();
        let limit = self.max_bytes as u64 + 1;
        let read = (&mut self.inner).take(limit).read_to_end(&mut text)? as u64;
        self.consumed += read;
        if read >= limit {
            let mut rest = 0u64;
            let mut sink = [0u8; 1 << 16];
            loop {
                let n = self.inner.read(&mut sink)?;
                if n == 0 {
                    break;
                }
                rest += n as u64;
            }
            self.consumed += rest;
            return emit(self.item(1, Body::TooLong(read + rest)), self.consumed);
        }
        // Several documents in one file (concatenated objects) are cases one after another.
        let mut stream = serde_json::Deserializer::from_slice(&text).into_iter::<serde::de::IgnoredAny>();
        let mut start = 0usize;
        loop {
            match stream.next() {
                None => break,
                Some(Ok(_)) => {
                    let end = stream.byte_offset();
                    let line = 1 + text[..start].iter().filter(|&&b| b == b'\n').count() as u64;
                    let first = start + text[start..end].iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
                    emit(self.item(line + text[start..first].iter().filter(|&&b| b == b'\n').count() as u64, Body::Text(text[first..end].to_vec())), self.consumed)?;
                    start = end;
                }
                Some(Err(_)) => {
                    // The rest is not JSON: report it as one broken case.
                    let line = 1 + text[..start].iter().filter(|&&b| b == b'\n').count() as u64;
                    emit(self.item(line, Body::Text(text[start..].to_vec())), self.consumed)?;
                    break;
                }
            }
        }
        Ok(())
    }
}

/// Read one line (through `\n`) into `buf`, keeping at most `max` bytes; returns the bytes
/// consumed and whether the line was longer than `max` (its content is then dropped).
fn read_line_capped<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<(u64, bool)> {
    let mut consumed = 0u64;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = chunk.len();
        if !too_long {
            if buf.len() + n > max + 2 {
                too_long = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(n);
        consumed += n as u64;
        if done {
            return Ok((consumed, too_long));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &[u8], max: usize) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        Reader::new(text, "t", max)
            .for_each(|item, _| {
                let what = match item.body {
                    Body::Text(t) => String::from_utf8_lossy(&t).into_owned(),
                    Body::Blank => "<blank>".into(),
                    Body::TooLong(n) => format!("<too long {n}>"),
                    Body::Truncated(m) => format!("<truncated: {m}>"),
                };
                out.push((item.line, what));
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn json_lines_keep_every_line() {
        let got = items(b"\xef\xbb\xbf{\"a\":1}\r\n\n{bad\n{\"b\":2}", 100);
        assert_eq!(got, [(1, "{\"a\":1}\r\n".into()), (2, "<blank>".into()), (3, "{bad\n".into()), (4, "{\"b\":2}".into())]);
    }

    #[test]
    fn long_lines_are_skipped_not_held() {
        let long = format!("{{\"x\":\"{}\"}}\n{{\"b\":2}}\n", "y".repeat(500));
        let got = items(long.as_bytes(), 100);
        assert_eq!(got[0].1, "<too long 509>");
        assert_eq!(got[1], (2, "{\"b\":2}\n".into()));
    }

    #[test]
    fn arrays_stream_elements_with_their_lines() {
        let got = items(b"[\n {\"a\": \"x,]\"},\n {\"b\": [1,2]}\n]\n", 100);
        assert_eq!(got, [(2, "{\"a\": \"x,]\"}".into()), (3, "{\"b\": [1,2]}\n".into())]);
        let got = items(b"[{\"a\":1}, {\"b\":", 100);
        assert_eq!(got[1].1, "<truncated: the JSON array ends inside this element>");
    }

    #[test]
    fn a_pretty_object_is_one_case() {
        let got = items(b"{\n  \"id\": \"X\",\n  \"events\": []\n}\n", 1000);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, 1);
    }
}
