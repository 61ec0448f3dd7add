// A cdylib for wasm32-wasip1 gets no `_initialize` by default; link wasi-libc's reactor start
// file (shipped with the Rust target) so the module has the `_initialize` a WASI reactor exports
// and `wasi.initialize()` runs static constructors the way real reactors need.
use std::path::PathBuf;
use std::process::Command;

fn main() {
    if std::env::var("TARGET").as_deref() != Ok("wasm32-wasip1") {
        return;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(rustc).args(["--print", "sysroot"]).output().expect("rustc --print sysroot");
    let sysroot = String::from_utf8(sysroot.stdout).expect("sysroot is UTF-8");
    let crt: PathBuf = [sysroot.trim(), "lib", "rustlib", "wasm32-wasip1", "lib", "self-contained", "crt1-reactor.o"].iter().collect();
    assert!(crt.exists(), "{} is missing; is the wasm32-wasip1 target installed?", crt.display());
    println!("cargo:rustc-link-arg={}", crt.display());
    println!("cargo:rustc-link-arg=--export=_initialize");
}
