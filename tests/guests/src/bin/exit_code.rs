//! `exit_code N`: writes "exit N" (no trailing newline, so a host that drops an unterminated
//! last line at exit is caught) and exits with status N through proc_exit.
use std::io::Write;

fn main() {
    let code: i32 = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(code)) => code,
        _ => {
            eprintln!("usage: exit_code N");
            std::process::exit(2);
        }
    };
    let mut out = std::io::stdout();
    write!(out, "exit {code}").unwrap();
    out.flush().unwrap();
    std::process::exit(code);
}
