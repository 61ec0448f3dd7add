//! `hello [args...]`: greets, then echoes its arguments and environment, one line each, so a
//! reader sees at a glance what the host handed the guest.
fn main() {
    println!("Hello from Cove!");
    for (i, arg) in std::env::args_os().enumerate() {
        println!("arg {i}: {}", arg.to_string_lossy());
    }
    for (name, value) in std::env::vars_os() {
        println!("env {}={}", name.to_string_lossy(), value.to_string_lossy());
    }
}
