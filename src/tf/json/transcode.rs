//! Stored state JSON straight to cty msgpack, guided by the type, with no `Value` tree in between.
//!
//! UpgradeResourceState runs for every resource on every plan and almost always receives exactly what we
//! stored: attributes in name order, plain numbers, nothing to normalise. For that input this writes the
//! bytes `msgpack::encode(decode_lenient(json))` would, at a fraction of the cost. Anything else (bad or
//! unusual JSON, keys out of order, escaped attribute names, dynamic types, state that would need
//! normalising) is declined with `None`, so the general path runs and words every error as it always has.
//! Declining is always safe; accepting must be exact.

use std::borrow::Cow;

use crate::tf::codec::LazyPath;
use crate::tf::members;
use crate::tf::msgpack::{write_int, write_map_len, write_number};
use crate::tf::number::Number;
use crate::tf::schema::{Block, Nesting};
use crate::tf::types::Type;

/// Containers nested deeper than this are declined, well inside serde_json's own limit of 128.
const MAX_DEPTH: usize = 100;

/// serde_json (with `arbitrary_precision`) reads an object with this key as a number; the general path
/// knows what to make of that, so it gets any document holding the key.
const NUMBER_TOKEN: &[u8] = b"$serde_json::private::Number";

/// The msgpack encoding of lenient-decoded `json` as `ty`, or `None` to use the general path.
///
/// With `block` (whose value type `ty` is), the answer is given only when the decoded value would also be
/// in the block's normal form (`decoded_is_normal`), so the caller can skip normalising.
pub fn transcode_state(json: &[u8], ty: &Type, block: Option<&Block>) -> Option<Vec<u8>> {
    let mut t = Transcoder {
        src: json,
        pos: 0,
        out: Vec::with_capacity(json.len() + 64),
        scratch: Vec::new(),
        starts: Vec::new(),
        depth: 0,
    };
    let ctx = block.map_or(Ctx::Free, Ctx::Object);
    t.value(ty, ctx)?;
    t.ws();
    (t.pos == json.len()).then_some(t.out)
}

/// What the normal-form check asks of the value being read.
#[derive(Clone, Copy)]
enum Ctx<'b> {
    /// Nothing (an attribute's value, or no block given).
    Free,
    /// If an object: it is a value of this block.
    Object(&'b Block),
    /// A collection whose elements are values of this block.
    Elements(&'b Block),
}

impl<'b> Ctx<'b> {
    fn element(self) -> Ctx<'b> {
        match self {
            Ctx::Elements(b) => Ctx::Object(b),
            _ => Ctx::Free,
        }
    }
}

/// The object attributes of a type in name order: the one place this file reads an object type.
fn object_attrs(ty: &Type) -> Option<(usize, impl Iterator<Item = (&str, &Type)>)> {
    match ty {
        Type::Object(attrs) => Some((attrs.len(), attrs.iter().map(|(k, t)| (k.as_str(), t)))),
        _ => None,
    }
}

/// Whether equal values of `ty` can have different encodings (sets compare unordered), so that
/// duplicate set elements cannot be found by comparing bytes.
fn bytes_may_differ(ty: &Type) -> bool {
    match ty {
        Type::String | Type::Number | Type::Bool => false,
        Type::Set(_) | Type::Dynamic => true,
        Type::List(e) | Type::Map(e) => bytes_may_differ(e),
        Type::Tuple(ts) => ts.iter().any(bytes_may_differ),
        Type::Object(_) => {
            object_attrs(ty).is_some_and(|(_, mut it)| it.any(|(_, t)| bytes_may_differ(t)))
        }
    }
}

/// A JSON string just read: a range of the input, or (when it had escapes) the scratch buffer.
enum Str {
    Raw(usize, usize),
    Unescaped,
}

struct Transcoder<'a> {
    src: &'a [u8],
    pos: usize,
    out: Vec<u8>,
    /// Unescaped string text; reused.
    scratch: Vec<u8>,
    /// Output offsets of the kept elements of the sets being read (a stack; reused).
    starts: Vec<usize>,
    depth: usize,
}

impl<'a> Transcoder<'a> {
    fn ws(&mut self) {
        loop {
            match self.src.get(self.pos) {
                // Stored state is indented: runs of spaces go a word at a time.
                Some(b' ') if self.src.get(self.pos..self.pos + 8) == Some(b"        ") => {
                    self.pos += 8
                }
                Some(b' ' | b'\n' | b'\r' | b'\t') => self.pos += 1,
                _ => return,
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.src.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos.checked_add(word.len())?;
        (self.src.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn str_bytes(&self, s: &Str) -> &[u8] {
        match *s {
            Str::Raw(a, b) => &self.src[a..b],
            Str::Unescaped => &self.scratch,
        }
    }

    /// Reads a string (the input is at its opening quote), rejecting what serde_json rejects, invalid
    /// UTF-8 included.
    fn string(&mut self) -> Option<Str> {
        self.pos += 1;
        let start = self.pos;
        let rest = self.src.get(start..)?;
        let n = plain_run(rest);
        self.pos = start + n;
        match *rest.get(n)? {
            b'"' => {
                self.pos += 1;
                let text = &rest[..n];
                if !text.is_ascii() {
                    std::str::from_utf8(text).ok()?;
                }
                Some(Str::Raw(start, start + n))
            }
            b'\\' => self.escaped_string(start),
            _ => None,
        }
    }

    /// The rest of a string holding escapes (the input is at the first backslash), unescaped into scratch.
    fn escaped_string(&mut self, start: usize) -> Option<Str> {
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.src[start..self.pos]);
        loop {
            let b = *self.src.get(self.pos)?;
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => self.escape()?,
                0..=0x1f => return None,
                _ => self.scratch.push(b),
            }
        }
        // Escapes are ASCII, so the raw text is valid UTF-8 exactly when its unescaped pieces are.
        let raw = &self.src[start..self.pos - 1];
        if !raw.is_ascii() {
            std::str::from_utf8(raw).ok()?;
        }
        Some(Str::Unescaped)
    }

    /// One escape (after its backslash) onto the scratch buffer.
    fn escape(&mut self) -> Option<()> {
        let b = *self.src.get(self.pos)?;
        self.pos += 1;
        let c = match b {
            b'"' | b'\\' | b'/' => b,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = match hi {
                    0xd800..=0xdbff => {
                        self.literal(b"\\u")?;
                        let lo = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&lo) {
                            return None;
                        }
                        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                    }
                    0xdc00..=0xdfff => return None,
                    _ => hi,
                };
                let ch = char::from_u32(code)?;
                let mut buf = [0u8; 4];
                self.scratch
                    .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                return Some(());
            }
            _ => return None,
        };
        self.scratch.push(c);
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.pos.checked_add(4)?;
        let digits = self.src.get(self.pos..end)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.pos = end;
        Some(v)
    }

    /// The text of a number in JSON's grammar (the input is at its first byte).
    fn number_text(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.pos;
        let digits = |t: &mut Self| {
            let from = t.pos;
            while t.src.get(t.pos).is_some_and(u8::is_ascii_digit) {
                t.pos += 1;
            }
            (t.pos > from).then_some(())
        };
        if self.src.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.src.get(self.pos)? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => digits(self)?,
            _ => return None,
        }
        let mut plain = true;
        if self.src.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            digits(self)?;
            plain = false;
        }
        if let Some(b'e' | b'E') = self.src.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.src.get(self.pos) {
                self.pos += 1;
            }
            digits(self)?;
            plain = false;
        }
        Some((start, self.pos, plain))
    }

    fn number(&mut self) -> Option<()> {
        let (a, b, plain) = self.number_text()?;
        let text = &self.src[a..b];
        let (negative, magnitude) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        // Up to 18 digits always fits an i64: the encoder's own integer form, without a `Number`.
        if plain && magnitude.len() <= 18 {
            let m = magnitude
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            write_int(&mut self.out, if negative { -m } else { m });
            return Some(());
        }
        let text = std::str::from_utf8(text).ok()?;
        let n = Number::parse(text).ok()?;
        write_number(&mut self.out, &n, &LazyPath::Root).ok()
    }

    /// Writes one value of `ty`; `Some(true)` when it was null.
    fn value(&mut self, ty: &Type, ctx: Ctx<'_>) -> Option<bool> {
        let b = self.peek()?;
        if b == b'n' {
            self.literal(b"null")?;
            self.out.push(0xc0);
            return Some(true);
        }
        match ty {
            Type::String if b == b'"' => {
                let s = self.string()?;
                let src = self.src;
                let bytes = match s {
                    Str::Raw(a, b) => &src[a..b],
                    Str::Unescaped => &self.scratch[..],
                };
                write_str(&mut self.out, bytes)?;
            }
            Type::Number if b == b'-' || b.is_ascii_digit() => self.number()?,
            Type::Bool if b == b't' => {
                self.literal(b"true")?;
                self.out.push(0xc3);
            }
            Type::Bool if b == b'f' => {
                self.literal(b"false")?;
                self.out.push(0xc2);
            }
            Type::List(e) if b == b'[' => self.array(e, false, ctx.element())?,
            Type::Set(e) if b == b'[' => self.array(e, true, ctx.element())?,
            Type::Tuple(ts) if b == b'[' => self.tuple(ts)?,
            Type::Map(e) if b == b'{' => self.map(e, ctx.element())?,
            Type::Object(_) if b == b'{' => {
                let block = match ctx {
                    Ctx::Object(block) => Some(block),
                    _ => None,
                };
                self.object(ty, block)?
            }
            _ => return None,
        }
        Some(false)
    }

    /// A list or set; the element count is known only at the end, so its header is written then.
    fn array(&mut self, e: &Type, is_set: bool, ctx: Ctx<'_>) -> Option<()> {
        self.enter()?;
        self.pos += 1;
        let header = self.out.len();
        self.out.push(0);
        let base = self.starts.len();
        let mut n = 0usize;
        if self.peek()? == b']' {
            self.pos += 1;
        } else {
            loop {
                let start = self.out.len();
                self.value(e, ctx)?;
                if is_set {
                    if self.is_duplicate(e, base, start)? {
                        self.out.truncate(start);
                    } else {
                        self.starts.push(start);
                        n += 1;
                    }
                } else {
                    n += 1;
                }
                if !self.another(b']')? {
                    break;
                }
            }
        }
        self.starts.truncate(base);
        self.depth -= 1;
        self.fix_header(header, n, 0x90, 0xdc)
    }

    /// Whether the set element just written at `start` equals a kept one (`Value::set` keeps the first).
    fn is_duplicate(&self, e: &Type, base: usize, start: usize) -> Option<bool> {
        let kept = &self.starts[base..];
        if kept.is_empty() {
            return Some(false);
        }
        if bytes_may_differ(e) {
            return None;
        }
        let item = &self.out[start..];
        let ends = kept.iter().skip(1).copied().chain([start]);
        Some(kept.iter().zip(ends).any(|(&a, b)| &self.out[a..b] == item))
    }

    /// Replaces the one-byte placeholder at `at` with the header of `n` items (`fix`: the fix-size base,
    /// `wide`: the 16-bit code; the 32-bit code follows it, as in msgpack's array and map families).
    fn fix_header(&mut self, at: usize, n: usize, fix: u8, wide: u8) -> Option<()> {
        if n <= 15 {
            self.out[at] = fix | n as u8;
        } else if let Ok(n16) = u16::try_from(n) {
            self.out[at] = wide;
            self.out.splice(at + 1..at + 1, n16.to_be_bytes());
        } else {
            let n32 = u32::try_from(n).ok()?;
            self.out[at] = wide + 1;
            self.out.splice(at + 1..at + 1, n32.to_be_bytes());
        }
        Some(())
    }

    /// After an element: past a `,` (`true`: another element follows) or past `close` (`false`).
    fn another(&mut self, close: u8) -> Option<bool> {
        let c = self.peek()?;
        if c != b',' && c != close {
            return None;
        }
        self.pos += 1;
        Some(c == b',')
    }

    fn tuple(&mut self, ts: &[Type]) -> Option<()> {
        self.enter()?;
        self.pos += 1;
        let header = self.out.len();
        self.out.push(0);
        for (i, t) in ts.iter().enumerate() {
            if i > 0 {
                self.eat(b',')?;
            }
            self.value(t, Ctx::Free)?;
        }
        self.eat(b']')?;
        self.depth -= 1;
        self.fix_header(header, ts.len(), 0x90, 0xdc)
    }

    /// A map: keys must arrive strictly ascending (the encoder's order; duplicates go the general way).
    fn map(&mut self, e: &Type, ctx: Ctx<'_>) -> Option<()> {
        self.enter()?;
        self.pos += 1;
        let header = self.out.len();
        self.out.push(0);
        let mut n = 0usize;
        let mut last: Option<(usize, usize)> = None;
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let k = self.string()?;
                let src = self.src;
                let key = match k {
                    Str::Raw(a, b) => &src[a..b],
                    Str::Unescaped => &self.scratch[..],
                };
                if key == NUMBER_TOKEN || last.is_some_and(|(a, b)| key <= &self.out[a..b]) {
                    return None;
                }
                write_str(&mut self.out, key)?;
                last = Some((self.out.len() - key.len(), self.out.len()));
                self.eat(b':')?;
                self.value(e, ctx)?;
                n += 1;
                if !self.another(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        self.fix_header(header, n, 0x80, 0xde)
    }

    /// An object: every attribute of the type, in name order, absent ones null. Keys must arrive
    /// strictly ascending and unescaped; keys the type lacks are skipped (lenient decoding).
    fn object(&mut self, ty: &Type, block: Option<&Block>) -> Option<()> {
        let (count, mut attrs) = object_attrs(ty)?;
        let order: Option<Cow<'_, [usize]>> = block.map(members::order);
        if order.as_ref().is_some_and(|o| o.len() != count) {
            return None;
        }
        let mut member = Member {
            block,
            order: order.as_deref().unwrap_or(&[]),
            next: 0,
        };
        self.enter()?;
        self.pos += 1;
        write_map_len(&mut self.out, count, &LazyPath::Root).ok()?;
        let mut ahead = attrs.next();
        let mut last: Option<(usize, usize)> = None;
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let Str::Raw(a, b) = self.string()? else {
                    return None;
                };
                let key = &self.src[a..b];
                if key == NUMBER_TOKEN || last.is_some_and(|(x, y)| key <= &self.src[x..y]) {
                    return None;
                }
                last = Some((a, b));
                self.eat(b':')?;
                let mut matched = false;
                while let Some((name, t)) = ahead {
                    if name.as_bytes() > key {
                        break;
                    }
                    let ctx = member.next(name, t)?;
                    write_str(&mut self.out, name.as_bytes())?;
                    ahead = attrs.next();
                    if name.as_bytes() == key {
                        let null = self.value(t, ctx.ctx)?;
                        if null && !ctx.allows_null() {
                            return None;
                        }
                        matched = true;
                        break;
                    }
                    self.absent(ctx)?;
                }
                if !matched {
                    self.skip()?;
                }
                if !self.another(b'}')? {
                    break;
                }
            }
        }
        while let Some((name, t)) = ahead {
            let ctx = member.next(name, t)?;
            write_str(&mut self.out, name.as_bytes())?;
            self.absent(ctx)?;
            ahead = attrs.next();
        }
        self.depth -= 1;
        Some(())
    }

    /// An attribute the input leaves out: null, if that is already normal.
    fn absent(&mut self, ctx: MemberCtx<'_>) -> Option<()> {
        ctx.allows_null().then(|| self.out.push(0xc0))
    }

    /// Skips (and checks) any JSON value: an attribute the type no longer has.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.number_text().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            open @ (b'[' | b'{') => {
                self.enter()?;
                self.pos += 1;
                let close = if open == b'[' { b']' } else { b'}' };
                if self.peek()? == close {
                    self.pos += 1;
                } else {
                    loop {
                        if open == b'{' {
                            if self.peek()? != b'"' {
                                return None;
                            }
                            let k = self.string()?;
                            if self.str_bytes(&k) == NUMBER_TOKEN {
                                return None;
                            }
                            self.eat(b':')?;
                        }
                        self.skip()?;
                        if !self.another(close)? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Some(())
            }
            _ => None,
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `w` is below `n` (n <= 128): the classic word-at-a-time test, exact as to whether.
fn has_less(w: u64, n: u8) -> bool {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS != 0
}

/// The length of the leading run of `s` free of quotes, backslashes and control bytes (the bytes a JSON
/// string ends or escapes at, or rejects), eight bytes at a time.
fn plain_run(s: &[u8]) -> usize {
    let mut n = 0;
    for chunk in s.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        if has_less(w ^ (ONES * u64::from(b'"')), 1)
            || has_less(w ^ (ONES * u64::from(b'\\')), 1)
            || has_less(w, 0x20)
        {
            break;
        }
        n += 8;
    }
    n + s[n..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(s.len() - n)
}

/// msgpack's string form of text already known to be UTF-8 (what `msgpack::encode` writes for it).
fn write_str(out: &mut Vec<u8>, s: &[u8]) -> Option<()> {
    let n = s.len();
    if n <= 31 {
        out.push(0xa0 | n as u8);
    } else if let Ok(n8) = u8::try_from(n) {
        out.extend([0xd9, n8]);
    } else if let Ok(n16) = u16::try_from(n) {
        out.push(0xda);
        out.extend(n16.to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend(u32::try_from(n).ok()?.to_be_bytes());
    }
    out.extend_from_slice(s);
    Some(())
}

/// Walks a block's members in name order beside the object type's attributes.
struct Member<'b, 'o> {
    block: Option<&'b Block>,
    order: &'o [usize],
    next: usize,
}

/// What the normal form asks of one attribute's value: `Ctx` plus whether null is normal.
#[derive(Clone, Copy)]
struct MemberCtx<'b> {
    ctx: Ctx<'b>,
    nullable: bool,
}

impl<'b> MemberCtx<'b> {
    fn allows_null(&self) -> bool {
        self.nullable
    }
}

impl<'b> Member<'b, '_> {
    /// The context of attribute `name`, the next in name order; `None` if the block does not match the type.
    fn next(&mut self, name: &str, ty: &Type) -> Option<MemberCtx<'b>> {
        let Some(block) = self.block else {
            return Some(MemberCtx {
                ctx: Ctx::Free,
                nullable: true,
            });
        };
        let i = *self.order.get(self.next)?;
        self.next += 1;
        if members::member_name(block, i) != name {
            return None;
        }
        let Some(nb) = i
            .checked_sub(block.attributes.len())
            .and_then(|j| block.blocks.get(j))
        else {
            return Some(MemberCtx {
                ctx: Ctx::Free,
                nullable: true,
            });
        };
        // decoded_is_normal: a block of another kind than its nesting, an absent collection block (which
        // becomes empty) and an absent group (an object of nulls) all need normalising.
        let kind_matches = matches!(
            (nb.nesting, ty),
            (Nesting::Single | Nesting::Group, Type::Object(_))
                | (Nesting::List, Type::List(_))
                | (Nesting::Set, Type::Set(_))
                | (Nesting::Map, Type::Map(_))
        );
        if !kind_matches {
            return None;
        }
        Some(match nb.nesting {
            Nesting::Single => MemberCtx {
                ctx: Ctx::Object(&nb.block),
                nullable: true,
            },
            Nesting::Group => MemberCtx {
                ctx: Ctx::Object(&nb.block),
                nullable: false,
            },
            Nesting::List | Nesting::Set | Nesting::Map => MemberCtx {
                ctx: Ctx::Elements(&nb.block),
                nullable: false,
            },
        })
    }
}

#[cfg(test)]
#[path = "transcode_tests.rs"]
mod tests;
