//! `many_files DIR [N]`: creates N files (default 1000) named f0000, f0001, ... in DIR, lists DIR
//! with read_dir (many fd_readdir calls continuing from cookies), checks every name appears exactly
//! once, removes them all, lists again. Prints:
//!   created N
//!   listed N entries, M missing, D duplicates, X unexpected
//!   after removal: K entries
//! Exits 1 when the listing is not exactly the files created.
use std::collections::BTreeMap;
use std::fs;

fn fail(what: &str, e: std::io::Error) -> ! {
    eprintln!("many_files: {what}: {e}");
    std::process::exit(1);
}

fn list(dir: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("read_dir {dir}"), e))
        .map(|entry| entry.unwrap_or_else(|e| fail("read_dir entry", e)).file_name().to_string_lossy().into_owned())
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| {
        eprintln!("usage: many_files DIR [N]");
        std::process::exit(2);
    });
    let count: usize = args.next().map(|a| a.parse().expect("N must be a number")).unwrap_or(1000);
    let names: Vec<String> = (0..count).map(|i| format!("f{i:04}")).collect();

    for name in &names {
        fs::write(format!("{dir}/{name}"), name).unwrap_or_else(|e| fail(&format!("create {name}"), e));
    }
    println!("created {count}");

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let listing = list(&dir);
    for name in &listing {
        *seen.entry(name.clone()).or_default() += 1;
    }
    let missing = names.iter().filter(|n| !seen.contains_key(*n)).count();
    let duplicates: usize = seen.values().map(|&c| c - 1).sum();
    let unexpected = seen.keys().filter(|n| !names.contains(n)).count();
    println!("listed {} entries, {missing} missing, {duplicates} duplicates, {unexpected} unexpected", listing.len());

    for name in &names {
        fs::remove_file(format!("{dir}/{name}")).unwrap_or_else(|e| fail(&format!("remove {name}"), e));
    }
    println!("after removal: {} entries", list(&dir).len());
    if missing + duplicates + unexpected != 0 {
        std::process::exit(1);
    }
}
