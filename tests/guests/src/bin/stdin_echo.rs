//! `stdin_echo`: copies stdin to stdout byte for byte until EOF, then reports the byte count on
//! stderr as "stdin_echo: N bytes".
use std::io::{Read, Write};

fn main() {
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let mut buf = [0u8; 4096];
    let mut total: u64 = 0;
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                eprintln!("stdin_echo: read failed: {e}");
                std::process::exit(1);
            }
        };
        if let Err(e) = stdout.write_all(&buf[..n]).and_then(|_| stdout.flush()) {
            eprintln!("stdin_echo: write failed after {total} bytes: {e}");
            std::process::exit(1);
        }
        total += n as u64;
    }
    eprintln!("stdin_echo: {total} bytes");
}
