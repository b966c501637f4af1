//! A bounded cursor over untrusted bytes.
//!
//! Every read checks what remains before it touches the buffer and reports failures as
//! [`DecodeError`]s carrying the absolute offset (the window's base plus the position).
//! Length-prefixed fields are read through [`Reader::sub`], which yields a child reader that
//! cannot see past the declared length.

use super::error::{DecodeError, DecodeErrorKind};

/// Cursor over a window of the input. `base` is the absolute offset of `buf[0]`.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the whole input, starting at absolute offset 0.
    pub fn new(buf: &'a [u8]) -> Self {
        Self::with_base(buf, 0)
    }

    /// A reader over `buf`, whose first octet sits at absolute offset `base`.
    pub fn with_base(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    /// The absolute offset of the next octet.
    pub fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    /// Octets left in this window.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// True when the window is exhausted.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unread part of the window, without consuming it.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    /// An error at the current offset.
    pub fn err(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.offset(), kind)
    }

    /// The next octet, without consuming it.
    pub fn peek(&self) -> Result<u8, DecodeError> {
        self.buf.get(self.pos).copied().ok_or_else(|| {
            self.err(DecodeErrorKind::UnexpectedEnd {
                needed: 1,
                available: 0,
            })
        })
    }

    /// Consumes one octet.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = self.peek()?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    /// Consumes `n` octets and returns them borrowed from the input.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end.and_then(|e| self.buf.get(self.pos..e).map(|s| (e, s))) {
            Some((e, s)) => {
                self.pos = e;
                Ok(s)
            }
            None => Err(self.err(DecodeErrorKind::LengthOverrun {
                declared: n as u64,
                remaining: self.remaining() as u64,
            })),
        }
    }

    /// Consumes everything that remains.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let r = self.rest();
        self.pos = self.buf.len();
        r
    }

    /// Consumes `n` octets and returns a child reader bounded to them.
    pub fn sub(&mut self, n: usize) -> Result<Reader<'a>, DecodeError> {
        let base = self.offset();
        let s = self.take(n)?;
        Ok(Reader::with_base(s, base))
    }

    /// Consumes octets up to and including the next NUL; returns them without the NUL.
    pub fn until_nul(&mut self) -> Result<&'a [u8], DecodeError> {
        let rest = self.rest();
        match rest.iter().position(|&b| b == 0) {
            Some(i) => {
                let s = rest.get(..i).unwrap_or(&[]);
                self.pos = self.pos.saturating_add(i).saturating_add(1);
                Ok(s)
            }
            None => Err(self.err(DecodeErrorKind::UnterminatedString)),
        }
    }

    /// Skips `n` octets.
    pub fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.take(n).map(|_| ())
    }
}
