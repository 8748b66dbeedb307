//! Text in the encodings exports come in. UTF-8 (a BOM is dropped) is read as it is; UTF-16 and
//! UTF-32 with a byte-order mark are transcoded to UTF-8 as they are read, as ripgrep does.
//! Text without a BOM that is clearly not UTF-8 is one clear error naming the likely encoding,
//! rather than one unreadable case per line.

use std::io::{self, Read};

/// How many bytes are looked at to tell the encoding of text without a BOM.
const SNIFF: usize = 8 << 10;

/// The encoding of a text, from its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a BOM.
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
}

impl Encoding {
    fn unit(self) -> usize {
        match self {
            Encoding::Utf8 => 1,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf32Le | Encoding::Utf32Be => 4,
        }
    }

    /// The encoding's name, e.g. "UTF-16LE".
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
            Encoding::Utf32Be => "UTF-32BE",
        }
    }
}

/// A reader of UTF-8 text from input in any of the [`Encoding`]s.
pub struct Decoded<R> {
    inner: R,
    encoding: Encoding,
    /// Input read but not yet passed on (UTF-8) or not yet decoded (a partial code unit).
    raw: Vec<u8>,
    raw_at: usize,
    /// Decoded UTF-8 not yet handed out.
    out: Vec<u8>,
    out_at: usize,
    /// Input bytes consumed before `raw`, for error positions.
    offset: u64,
    pending_high: Option<u16>,
}

impl<R: Read> Decoded<R> {
    /// Look at the start of `inner`: a BOM selects the encoding; without one, text that is
    /// clearly UTF-16 or clearly not UTF-8 is an `InvalidData` error naming the likely
    /// encoding. `name` (the file) starts that error's message.
    pub fn new(mut inner: R, name: &str) -> io::Result<Self> {
        let mut start = Vec::with_capacity(SNIFF);
        (&mut inner).take(SNIFF as u64).read_to_end(&mut start)?;
        let (encoding, bom) = match start.as_slice() {
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
            [0xFF, 0xFE, 0, 0, ..] => (Encoding::Utf32Le, 4),
            [0, 0, 0xFE, 0xFF, ..] => (Encoding::Utf32Be, 4),
            [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
            [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
            _ => {
                if let Some(problem) = not_utf8(&start, start.len() < SNIFF) {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{name}: {problem}")));
                }
                (Encoding::Utf8, 0)
            }
        };
        Ok(Decoded {
            inner,
            encoding,
            raw: start,
            raw_at: bom,
            out: Vec::new(),
            out_at: 0,
            offset: 0,
            pending_high: None,
        })
    }

    /// The encoding found.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    fn refill_raw(&mut self) -> io::Result<usize> {
        // Keep a partial code unit, read more behind it.
        self.offset += self.raw_at as u64;
        self.raw.drain(..self.raw_at);
        self.raw_at = 0;
        let have = self.raw.len();
        self.raw.resize(have + (64 << 10), 0);
        let n = self.inner.read(&mut self.raw[have..])?;
        self.raw.truncate(have + n);
        Ok(n)
    }

    fn decode_some(&mut self) -> io::Result<bool> {
        let unit = self.encoding.unit();
        while self.raw.len() - self.raw_at < unit {
            if self.refill_raw()? == 0 {
                if self.raw.len() > self.raw_at || self.pending_high.is_some() {
                    return Err(self.invalid("the text ends inside a character"));
                }
                return Ok(false);
            }
        }
        self.out.clear();
        self.out_at = 0;
        let mut buf = [0u8; 4];
        while self.raw.len() - self.raw_at >= unit {
            let b = &self.raw[self.raw_at..self.raw_at + unit];
            let c = match self.encoding {
                Encoding::Utf16Le | Encoding::Utf16Be => {
                    let u = if self.encoding == Encoding::Utf16Le {
                        u16::from_le_bytes([b[0], b[1]])
                    } else {
                        u16::from_be_bytes([b[0], b[1]])
                    };
                    match (self.pending_high.take(), u) {
                        (None, 0xD800..=0xDBFF) => {
                            self.pending_high = Some(u);
                            self.raw_at += unit;
                            continue;
                        }
                        (Some(high), 0xDC00..=0xDFFF) => {
                            char::from_u32(0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(u) - 0xDC00))
                        }
                        (None, 0xDC00..=0xDFFF) | (Some(_), _) => None,
                        (None, u) => char::from_u32(u32::from(u)),
                    }
                }
                Encoding::Utf32Le => char::from_u32(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                Encoding::Utf32Be => char::from_u32(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
                Encoding::Utf8 => unreachable!("UTF-8 is passed through"),
            };
            let Some(c) = c else {
                return Err(self.invalid(&format!("not valid {} text", self.encoding.name())));
            };
            self.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            self.raw_at += unit;
        }
        Ok(true)
    }

    fn invalid(&self, what: &str) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, format!("{what} at byte {}", self.offset + self.raw_at as u64))
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.encoding == Encoding::Utf8 {
            if self.raw_at < self.raw.len() {
                let n = buf.len().min(self.raw.len() - self.raw_at);
                buf[..n].copy_from_slice(&self.raw[self.raw_at..self.raw_at + n]);
                self.raw_at += n;
                if self.raw_at == self.raw.len() {
                    self.raw = Vec::new();
                    self.raw_at = 0;
                }
                return Ok(n);
            }
            return self.inner.read(buf);
        }
        while self.out_at == self.out.len() {
            if !self.decode_some()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// Why text without a BOM is not UTF-8, if it clearly is not. `complete`: `start` is the
/// whole text (else its last character may be cut).
fn not_utf8(start: &[u8], complete: bool) -> Option<String> {
    if start.is_empty() {
        return None;
    }
    let zeros = |parity: usize| start.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let half = start.len() / 2;
    // ASCII text in UTF-16 has a zero in every other byte; text has no zeros otherwise.
    if half > 0 && zeros(1) * 10 >= half * 8 && zeros(0) * 10 < half {
        return Some(
            "not UTF-8: it looks like UTF-16LE without a byte-order mark; convert it \
             (iconv -f UTF-16LE -t UTF-8) or export it with a BOM"
                .into(),
        );
    }
    if half > 0 && zeros(0) * 10 >= half * 8 && zeros(1) * 10 < half {
        return Some(
            "not UTF-8: it looks like UTF-16BE without a byte-order mark; convert it \
             (iconv -f UTF-16BE -t UTF-8) or export it with a BOM"
                .into(),
        );
    }
    match std::str::from_utf8(start) {
        Ok(_) => None,
        Err(e) if e.error_len().is_none() && !complete => None, // cut at the sniff's end
        Err(e) => {
            let at = e.valid_up_to();
            let byte = start[at];
            let likely =
                if (0x80..=0x9F).contains(&byte) { "Windows-1252" } else { "Latin-1 (ISO-8859-1) or Windows-1252" };
            Some(format!(
                "not UTF-8: byte 0x{byte:02X} at offset {at} is not UTF-8 text; it looks like {likely}; convert it \
                 (iconv -f WINDOWS-1252 -t UTF-8) or export it as UTF-8"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> io::Result<String> {
        let mut s = String::new();
        Decoded::new(bytes, "f")?.read_to_string(&mut s)?;
        Ok(s)
    }

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn boms_are_read_and_dropped() {
        let text = "{\"id\": \"É-1 😀\"}\n".repeat(5000);
        assert_eq!(read(&utf16(&text, true)).unwrap(), text);
        assert_eq!(read(&utf16(&text, false)).unwrap(), text);
        let mut le32 = vec![0xFF, 0xFE, 0, 0];
        let mut be32 = vec![0, 0, 0xFE, 0xFF];
        for c in text.chars() {
            le32.extend((c as u32).to_le_bytes());
            be32.extend((c as u32).to_be_bytes());
        }
        assert_eq!(read(&le32).unwrap(), text);
        assert_eq!(read(&be32).unwrap(), text);
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend(text.as_bytes());
        assert_eq!(read(&bom8).unwrap(), text);
        assert_eq!(read(text.as_bytes()).unwrap(), text);
    }

    #[test]
    fn text_that_is_not_utf8_is_one_error_naming_the_encoding() {
        let utf16_no_bom: Vec<u8> = utf16("{\"id\": \"x\"}\n", true)[2..].to_vec();
        let e = read(&utf16_no_bom).unwrap_err();
        assert!(e.to_string().contains("UTF-16LE without a byte-order mark"), "{e}");
        let latin1 = b"{\"id\": \"Caf\xe9\"}\n";
        let e = read(latin1).unwrap_err();
        assert!(e.to_string().contains("0xE9 at offset 11") && e.to_string().contains("Latin-1"), "{e}");
        let e = read(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).unwrap_err();
        assert!(e.to_string().contains("not valid UTF-16LE"), "{e}");
        let e = read(&[0xFF, 0xFE, 0x41]).unwrap_err();
        assert!(e.to_string().contains("ends inside a character"), "{e}");
    }
}
