//! Standard output that ends quietly when its reader goes away: `mms decode FILE | head -1`
//! closes the pipe after one line, and the rest of the output is dropped with exit code 0
//! instead of a panic (Rust's `println!` panics on a closed pipe).

use std::io::Write;

/// Writes to standard output; on a closed pipe, exits at once with code 0.
pub(crate) fn write(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// `print!` that a closed pipe ends quietly ([`write`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write(format_args!($($arg)*))
    };
}

/// `println!` that a closed pipe ends quietly ([`write`]).
macro_rules! outln {
    () => {
        $crate::output::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}
