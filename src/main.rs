//! The `chaff` binary: parses arguments, calls the library, maps errors to exit codes.

mod cli;

/// Allocation-heavy stages (the JSON reader's values, the token vectors of passages, chrome's
/// pages) spend ~10% of `scan` in glibc's malloc. Most of what they allocate is freed on
/// another thread (read by the reader, dropped by a worker): mimalloc then faulted fresh pages
/// in for ~12% of `chrome`'s CPU; jemalloc reuses them (BENCHMARKS.md, "jemalloc as the binary's
/// allocator").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(cli::Found::Nothing) => ExitCode::SUCCESS,
        Ok(cli::Found::Something) => ExitCode::from(1),
        Err(e) => {
            // A closed pipe (chaff dups | head) is not an error worth a message.
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            // Written without eprintln!, which panics (exit 101) when stderr is a closed pipe.
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "chaff: error: {}", cli::message(&e));
            ExitCode::from(2)
        }
    }
}
