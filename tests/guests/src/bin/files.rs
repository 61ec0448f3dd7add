//! `files`: a small file tool over whatever filesystem the host preopens.
//!   files ls DIR              entries sorted; directories end in "/", symlinks show "-> target"
//!   files cat FILE            file bytes to stdout
//!   files write FILE TEXT     create or truncate FILE with TEXT
//!   files append FILE TEXT    append TEXT to FILE (created when missing)
//!   files cp SRC DST          copy a file
//!   files mv SRC DST          rename
//!   files rm [-r] PATH        remove a file or an empty directory (-r: a whole tree)
//!   files mkdir DIR           create DIR and missing parents
//!   files tree DIR            the tree under DIR, indented
//!   files stat PATH           type, size, modification time (of PATH itself, not a link's target)
//! Errors print "files: <command> <path>: <OS error>" to stderr and exit 1.
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

const USAGE: &str = "usage: files ls DIR | cat FILE | write FILE TEXT | append FILE TEXT | cp SRC DST \
| mv SRC DST | rm [-r] PATH | mkdir DIR | tree DIR | stat PATH";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["ls", dir] => ls(dir).map_err(|e| (dir.to_string(), e)),
        ["cat", file] => cat(file).map_err(|e| (file.to_string(), e)),
        ["write", file, text] => fs::write(file, text).map_err(|e| (file.to_string(), e)),
        ["append", file, text] => append(file, text).map_err(|e| (file.to_string(), e)),
        ["cp", src, dst] => copy(src, dst),
        ["mv", src, dst] => fs::rename(src, dst).map_err(|e| (format!("{src} -> {dst}"), e)),
        ["rm", path] => remove(path, false).map_err(|e| (path.to_string(), e)),
        ["rm", "-r", path] => remove(path, true).map_err(|e| (path.to_string(), e)),
        ["mkdir", dir] => fs::create_dir_all(dir).map_err(|e| (dir.to_string(), e)),
        ["tree", dir] => tree(dir).map_err(|e| (dir.to_string(), e)),
        ["stat", path] => stat(path).map_err(|e| (path.to_string(), e)),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err((path, error)) = result {
        eprintln!("files: {} {path}: {error}", args[0]);
        std::process::exit(1);
    }
}

/// Directory entries sorted by name, each with the suffix `ls -F` would give it.
fn entries(dir: &Path) -> io::Result<Vec<(String, fs::FileType)>> {
    let mut list = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        list.push((entry.file_name().to_string_lossy().into_owned(), entry.file_type()?));
    }
    list.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(list)
}

fn label(dir: &Path, name: &str, kind: &fs::FileType) -> String {
    if kind.is_dir() {
        format!("{name}/")
    } else if kind.is_symlink() {
        match fs::read_link(dir.join(name)) {
            Ok(target) => format!("{name} -> {}", target.display()),
            Err(_) => format!("{name} -> ?"),
        }
    } else {
        name.to_string()
    }
}

fn ls(dir: &str) -> io::Result<()> {
    let dir = Path::new(dir);
    let mut out = io::stdout().lock();
    for (name, kind) in entries(dir)? {
        writeln!(out, "{}", label(dir, &name, &kind))?;
    }
    Ok(())
}

fn cat(file: &str) -> io::Result<()> {
    let mut f = fs::File::open(file)?;
    let mut out = io::stdout().lock();
    io::copy(&mut f, &mut out)?;
    out.flush()
}

fn append(file: &str, text: &str) -> io::Result<()> {
    fs::OpenOptions::new().append(true).create(true).open(file)?.write_all(text.as_bytes())
}

fn copy(src: &str, dst: &str) -> Result<(), (String, io::Error)> {
    let mut from = fs::File::open(src).map_err(|e| (src.to_string(), e))?;
    let mut to = fs::File::create(dst).map_err(|e| (dst.to_string(), e))?;
    io::copy(&mut from, &mut to).map_err(|e| (format!("{src} -> {dst}"), e))?;
    Ok(())
}

fn remove(path: &str, recursive: bool) -> io::Result<()> {
    let kind = fs::symlink_metadata(path)?.file_type();
    match (kind.is_dir(), recursive) {
        (true, true) => fs::remove_dir_all(path),
        (true, false) => fs::remove_dir(path),
        (false, _) => fs::remove_file(path),
    }
}

fn tree(dir: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{dir}")?;
    let (dirs, files) = walk(Path::new(dir), "", &mut out)?;
    writeln!(out, "{dirs} directories, {files} files")
}

/// Prints the entries under `dir` with box-drawing prefixes; returns (directories, files) seen.
fn walk(dir: &Path, prefix: &str, out: &mut impl Write) -> io::Result<(usize, usize)> {
    let list = entries(dir)?;
    let (mut dirs, mut files) = (0, 0);
    for (i, (name, kind)) in list.iter().enumerate() {
        let last = i + 1 == list.len();
        writeln!(out, "{prefix}{}{}", if last { "└── " } else { "├── " }, label(dir, name, kind))?;
        if kind.is_dir() {
            dirs += 1;
            let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
            let (d, f) = walk(&dir.join(name), &deeper, out)?;
            dirs += d;
            files += f;
        } else {
            files += 1;
        }
    }
    Ok((dirs, files))
}

fn stat(path: &str) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    let kind = meta.file_type();
    let kind = if kind.is_dir() {
        "directory"
    } else if kind.is_symlink() {
        "symlink"
    } else if kind.is_file() {
        "file"
    } else {
        "other"
    };
    let mut out = io::stdout().lock();
    writeln!(out, "path: {path}")?;
    writeln!(out, "type: {kind}")?;
    writeln!(out, "size: {}", meta.len())?;
    if let Ok(modified) = meta.modified() {
        match modified.duration_since(UNIX_EPOCH) {
            Ok(d) => writeln!(out, "modified: {}.{:09}", d.as_secs(), d.subsec_nanos())?,
            Err(_) => writeln!(out, "modified: before 1970")?,
        }
    }
    if meta.file_type().is_symlink() {
        writeln!(out, "target: {}", fs::read_link(path)?.display())?;
    }
    Ok(())
}
