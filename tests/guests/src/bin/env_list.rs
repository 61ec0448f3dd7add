//! `env_list`: prints every environment variable as NAME=VALUE, sorted by name, one per line.
fn main() {
    let mut vars: Vec<_> = std::env::vars_os().collect();
    vars.sort();
    for (name, value) in vars {
        println!("{}={}", name.to_string_lossy(), value.to_string_lossy());
    }
}
