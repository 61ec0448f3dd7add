//! `hold_open DIR N`: opens DIR/held0, DIR/held1, ... (created) and keeps every one open until N
//! are open or an open fails. Prints "opened K" and, on failure, "failed errno=<n> <ENAME>".
//! Exits 0 when all N opened, 1 otherwise.
use guest_util::describe;
use std::fs::File;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: hold_open DIR N");
        std::process::exit(2);
    };
    let mut held = Vec::new();
    for i in 0..count {
        let result = File::create(format!("{dir}/held{i}"));
        match result {
            Ok(file) => held.push(file),
            Err(_) => {
                println!("opened {}", held.len());
                println!("failed {}", describe(&result).trim_start_matches("error "));
                std::process::exit(1);
            }
        }
    }
    println!("opened {}", held.len());
}
