//! How a command fails: the exit code, a one-line message and a hint the user sees.

/// The exit codes of `mms` (README, "Exit codes"). 0 is success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The input is well-formed and was judged: the policy refused it (a push rejected, a
    /// provisioning document refused or not verified), or a demo step did not behave.
    Rejected = 1,
    /// Bad arguments, an unreadable or oversized file, an unusable profile.
    Usage = 2,
    /// The input does not decode (at the layer the error names).
    Malformed = 3,
    /// The MMSC could not be reached, or answered with an HTTP error or not with an MMS PDU.
    Network = 4,
    /// The MMSC answered and refused (a Response-Status or Retrieve-Status error).
    Refused = 5,
    /// A transient failure whose retry is scheduled for later (EX_TEMPFAIL).
    TryLater = 75,
}

/// A failure with the one-line message and hint the user sees.
pub(crate) struct Failure {
    pub(crate) code: Exit,
    pub(crate) message: String,
    pub(crate) hint: &'static str,
}
