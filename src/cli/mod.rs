//! The command line: clap definitions and their translation into library configurations.
//!
//! Nothing here analyses text. Each flag's doc comment is its `--help` text.

/// `eprintln!` that cannot panic: a message on a closed or broken standard error (a log
/// collector that went away, `2>&1 | head`) is dropped, the run goes on and exits as it would.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod chrome;
mod flags;
mod index;
mod passages;
mod run;
mod scan;

pub use args::Cli;
pub use flags::message;
pub use run::{run, Found};
