//! Text values: raw octets kept as received (borrowed from the input when decoded), with
//! lossy decoding on demand.

use super::charset::Charset;
use std::borrow::Cow;
use std::fmt;

/// A text value as carried on the wire, without its Quote prefix and NUL terminator.
/// Decoding borrows the octets from the input; [`Text::into_owned`] detaches them.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Text<'a>(pub Cow<'a, [u8]>);

impl<'a> Text<'a> {
    /// Wraps borrowed octets.
    pub fn borrowed(b: &'a [u8]) -> Self {
        Text(Cow::Borrowed(b))
    }

    /// The raw octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text decoded as UTF-8, lossily (see [`Charset::decode`]).
    pub fn to_str_lossy(&self) -> Cow<'_, str> {
        Charset::UTF_8.decode(&self.0)
    }

    /// The same text owning its octets.
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Text<'static> {
    fn from(s: String) -> Self {
        Text(Cow::Owned(s.into_bytes()))
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_str_lossy())
    }
}

/// An Encoded-string-value: a text with an optional charset. The raw octets are kept; the
/// text is decoded lossily on demand with [`EncodedString::to_string_lossy`].
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct EncodedString<'a> {
    /// The charset given on the wire; `None` when the value was a plain Text-string.
    pub charset: Option<Charset>,
    /// The raw octets.
    pub text: Text<'a>,
}

impl<'a> EncodedString<'a> {
    /// A plain (charset-less) value.
    pub fn plain(text: impl Into<Text<'a>>) -> Self {
        Self {
            charset: None,
            text: text.into(),
        }
    }

    /// A UTF-8 value (charset 106 on the wire).
    pub fn utf8(s: &str) -> EncodedString<'static> {
        EncodedString {
            charset: Some(Charset::UTF_8),
            text: Text(Cow::Owned(s.as_bytes().to_vec())),
        }
    }

    /// The decoded text (lossy; a charset of `None` is read as UTF-8).
    pub fn to_string_lossy(&self) -> Cow<'_, str> {
        self.charset
            .unwrap_or(Charset::UTF_8)
            .decode(self.text.as_bytes())
    }

    /// The same value owning its octets.
    pub fn into_owned(self) -> EncodedString<'static> {
        EncodedString {
            charset: self.charset,
            text: self.text.into_owned(),
        }
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(Cow::Borrowed(s.as_bytes()))
    }
}

impl fmt::Debug for EncodedString<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.charset {
            Some(c) => write!(f, "{:?}[{}]", self.to_string_lossy(), c),
            None => write!(f, "{:?}", self.to_string_lossy()),
        }
    }
}
