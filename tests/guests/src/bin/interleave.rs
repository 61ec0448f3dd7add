//! `interleave N`: writes "out I\n" to stdout and "err I\n" to stderr alternately, N times each
//! (every line its own fd_write), so a host can check it delivers the two streams in the order
//! the guest wrote them.
use std::io::Write;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    for i in 0..n {
        out.write_all(format!("out {i}\n").as_bytes()).unwrap();
        out.flush().unwrap();
        err.write_all(format!("err {i}\n").as_bytes()).unwrap();
    }
}
