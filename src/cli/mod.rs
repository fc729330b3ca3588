//! The command line: clap definitions and their translation into library configurations.
//!
//! Nothing here analyses text. Each flag's doc comment is its `--help` text.

mod args;
mod chrome;
mod index;
mod passages;
mod run;
mod scan;

pub use args::Cli;
pub use run::{run, Found};
