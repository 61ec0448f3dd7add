//! What tests/preview2.test.mjs asks of a WASI 0.2 command, by its first argument.
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map(String::as_str).unwrap_or("hello");
    match what {
        "hello" => println!("hello from a component"),
        "args-env" => {
            for a in &args {
                println!("arg {a}");
            }
            let mut vars: Vec<(String, String)> = std::env::vars().collect();
            vars.sort();
            for (k, v) in vars {
                println!("env {k}={v}");
            }
        }
        "stderr" => {
            eprint!("to stderr");
            print!("to stdout");
        }
        "exit" => {
            print!("before exit");
            std::process::exit(args[2].parse().unwrap());
        }
        "trap" => {
            print!("before trap");
            std::io::stdout().flush().unwrap();
            std::process::abort();
        }
        "read" => print!("{}", std::fs::read_to_string(&args[2]).unwrap()),
        "write" => match std::fs::write(&args[2], &args[3]) {
            Ok(()) => println!("wrote {}", args[2]),
            Err(e) => {
                println!("write {} failed: {:?}", args[2], e.kind());
                std::process::exit(2);
            }
        },
        "stdin" => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).unwrap();
            print!("stdin: {s}");
        }
        _ => {
            eprintln!("unknown request {what}");
            std::process::exit(3);
        }
    }
}
