//! The floor provider's only look into a state: a structural walk over the top-level msgpack map that finds one
//! string attribute, skipping other values without decoding them (no allocation, no schema).

use std::fmt;

#[derive(Debug, PartialEq, Eq)]
pub struct ScanError(&'static str);

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed msgpack state: {}", self.0)
    }
}

impl std::error::Error for ScanError {}

const TRUNCATED: ScanError = ScanError("truncated");

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// The head of one value: how many bytes of payload follow it, or how many nested values.
enum Head {
    /// Scalar with this many payload bytes (strings, binaries, numbers, extensions).
    Bytes(usize),
    Str(usize),
    /// Array or map: this many nested values (a map counts keys and values).
    Nested(usize),
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ScanError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or(TRUNCATED)?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn len(&mut self, width: usize) -> Result<usize, ScanError> {
        let n = self
            .take(width)?
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        usize::try_from(n).map_err(|_| ScanError("length overflows"))
    }

    fn head(&mut self) -> Result<Head, ScanError> {
        let m = self.take(1)?[0];
        Ok(match m {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => Head::Bytes(0),
            0x80..=0x8f => Head::Nested(2 * usize::from(m & 0x0f)),
            0x90..=0x9f => Head::Nested(usize::from(m & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(m & 0x1f)),
            0xc4 | 0xd9 => Head::Str(self.len(1)?),
            0xc5 | 0xda => Head::Str(self.len(2)?),
            0xc6 | 0xdb => Head::Str(self.len(4)?),
            0xc7 => Head::Bytes(self.len(1)? + 1),
            0xc8 => Head::Bytes(self.len(2)? + 1),
            0xc9 => Head::Bytes(self.len(4)? + 1),
            0xca | 0xce | 0xd2 => Head::Bytes(4),
            0xcb | 0xcf | 0xd3 => Head::Bytes(8),
            0xcc | 0xd0 => Head::Bytes(1),
            0xcd | 0xd1 => Head::Bytes(2),
            0xd4..=0xd8 => Head::Bytes(1 + (1 << (m - 0xd4))),
            0xdc => Head::Nested(self.len(2)?),
            0xdd => Head::Nested(self.len(4)?),
            0xde => Head::Nested(self.len(2)?.checked_mul(2).ok_or(TRUNCATED)?),
            0xdf => Head::Nested(self.len(4)?.checked_mul(2).ok_or(TRUNCATED)?),
            0xc1 => return Err(ScanError("reserved marker 0xc1")),
        })
    }

    /// Skips one whole value, nested ones included, with a counter instead of recursion.
    fn skip(&mut self) -> Result<(), ScanError> {
        let mut pending: usize = 1;
        while pending > 0 {
            pending -= 1;
            match self.head()? {
                Head::Bytes(n) | Head::Str(n) => {
                    self.take(n)?;
                }
                // Every nested value is at least one byte: a count beyond the input is malformed, not a loop.
                Head::Nested(n) if n > self.buf.len() - self.pos => return Err(TRUNCATED),
                Head::Nested(n) => pending += n,
            }
        }
        Ok(())
    }
}

/// The string value of `key` in the top-level map of `msgpack`; `None` when the key is absent or its value is not
/// a string (e.g. null or unknown).
pub fn top_level_str<'a>(msgpack: &'a [u8], key: &str) -> Result<Option<&'a str>, ScanError> {
    let mut c = Cursor {
        buf: msgpack,
        pos: 0,
    };
    let entries = match c.head()? {
        Head::Nested(n) if matches!(msgpack.first(), Some(0x80..=0x8f | 0xde | 0xdf)) => n / 2,
        _ => return Err(ScanError("the state is not a map")),
    };
    for _ in 0..entries {
        let name = match c.head()? {
            Head::Str(n) => c.take(n)?,
            _ => return Err(ScanError("a map key is not a string")),
        };
        if name != key.as_bytes() {
            c.skip()?;
            continue;
        }
        let at = c.pos;
        return match c.head()? {
            Head::Str(n) if !matches!(msgpack[at], 0xc4..=0xc6) => std::str::from_utf8(c.take(n)?)
                .map(Some)
                .map_err(|_| ScanError("the value is not UTF-8")),
            _ => Ok(None),
        };
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn str8(s: &str) -> Vec<u8> {
        let mut v = vec![0xd9, s.len() as u8];
        v.extend_from_slice(s.as_bytes());
        v
    }

    #[test]
    fn finds_the_id_after_nested_values() {
        let id = "6f1c2b8e-0d4a-4c55-9e61-000000000042";
        let mut m = vec![0x84];
        // "action_progress": [ {"step": 1, "x": nil} ]
        m.extend_from_slice(b"\xafaction_progress\x91\x82\xa4step\x01\xa1x\xc0");
        // "created_at": float64, "ext": fixext 4 (an unknown)
        m.extend_from_slice(b"\xaacreated_at\xcb\x00\x00\x00\x00\x00\x00\x00\x00");
        m.extend_from_slice(b"\xa3ext\xd6\x00\x01\x02\x03\x04");
        m.extend_from_slice(b"\xa2id");
        m.extend(str8(id));
        assert_eq!(top_level_str(&m, "id"), Ok(Some(id)));
        assert_eq!(top_level_str(&m, "missing"), Ok(None));
    }

    #[test]
    fn null_binary_and_non_map_states() {
        assert_eq!(top_level_str(b"\x81\xa2id\xc0", "id"), Ok(None));
        assert_eq!(top_level_str(b"\x81\xa2id\xc4\x01a", "id"), Ok(None));
        assert!(top_level_str(b"\x91\xa2id", "id").is_err());
        assert!(top_level_str(b"\xc0", "id").is_err());
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bad in [
            &b""[..],
            b"\x81",
            b"\x81\xa2i",
            b"\x82\xa1a\xdd\xff\xff\xff\xff",
            b"\x81\xa1a\xc1",
            b"\x81\xa2id\xd9\x10abc",
            b"\x81\xa2id\xa2\xff\xfe",
        ] {
            assert!(top_level_str(bad, "id").is_err(), "{bad:?}");
        }
    }
}
