//! Prints whether each standard stream is a terminal, as the guest's libc sees it
//! (`isatty`: fd_fdstat_get reports a character device without seek/tell rights).
use std::io::IsTerminal;

fn main() {
    println!(
        "stdin={} stdout={} stderr={}",
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
        std::io::stderr().is_terminal()
    );
}
