//! How a command fails: the exit code, a one-line message and a hint the user sees.

/// A failure with the one-line message and hint the user sees.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
    pub(crate) hint: &'static str,
}
