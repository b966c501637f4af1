//! One module per subcommand, each with its arguments and its function.

pub(crate) mod carrier;
pub(crate) mod decode;
pub(crate) mod demo;
pub(crate) mod fetch;
pub(crate) mod links;
pub(crate) mod mock;
pub(crate) mod provision;
pub(crate) mod push_check;
pub(crate) mod send;
