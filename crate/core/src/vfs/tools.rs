//! Host-side, path-based helpers over any [`Filesystem`]: what the JS `MemFS` class offers with
//! node:fs names (`writeFile`, `mkdir`, `rm`…), and `subtree` for rooting a preopen inside one.
//!
//! Paths are resolved from the filesystem's root with the same sandboxed [`resolve`] the guest
//! gets, so the host side cannot escape the root either; unlike guest paths, a leading `/` is
//! allowed (it names the root) since the host thinks of the filesystem as a whole disk. Symlinks
//! are followed where node:fs follows them (`stat`, `readFile`, `writeFile`, `readdir`), and not
//! where it does not (`lstat`, `rm`, `symlink`, `rename`).
use super::path::{check_path_bytes, resolve, Resolved};
use super::{DirEntry, FileType, Filesystem, Ino, Metadata};
use crate::errno::{Errno, Result};

/// Resolves a host path (absolute or relative, both from the root).
pub fn resolve_host(fs: &mut dyn Filesystem, path: &[u8], follow_final: bool) -> Result<Resolved> {
    let relative = match path.iter().position(|&b| b != b'/') {
        Some(first) => &path[first..],
        None if path.is_empty() => return Err(Errno::NoEnt),
        None => &b"."[..],
    };
    let root = fs.root();
    resolve(fs, root, relative, follow_final)
}

/// The node `path` names, following a final symlink.
fn existing(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Ino> {
    resolve_host(fs, path, true)?.node.ok_or(Errno::NoEnt)
}

/// Where a new entry for `path` would go: its directory and name. `EEXIST` when something (even a
/// dangling symlink) is already there or the path names a directory by navigation (`/`, `a/..`).
fn vacant(fs: &mut dyn Filesystem, path: &[u8]) -> Result<(Ino, Vec<u8>)> {
    let resolved = resolve_host(fs, path, false)?;
    match (resolved.node, resolved.name) {
        (None, Some(name)) => Ok((resolved.parent, name)),
        _ => Err(Errno::Exist),
    }
}

/// The directory part of `path` (`a/b//` -> `a`; `b` -> `.`; `/b` -> `/`).
fn dirname(path: &[u8]) -> &[u8] {
    let trimmed = &path[..path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1)];
    match trimmed.iter().rposition(|&b| b == b'/') {
        Some(0) => b"/",
        Some(slash) => &trimmed[..slash],
        None if path.starts_with(b"/") => b"/",
        None => b".",
    }
}

/// Creates or replaces the file at `path` with `data`, creating missing parent directories.
/// A final symlink is followed (the target is written). Returns the file's node.
pub fn write_file(fs: &mut dyn Filesystem, path: &[u8], data: &[u8]) -> Result<Ino> {
    let resolved = match resolve_host(fs, path, true) {
        Err(Errno::NoEnt) => {
            mkdir(fs, dirname(path), true)?;
            resolve_host(fs, path, true)?
        }
        other => other?,
    };
    let file = match (resolved.node, resolved.name) {
        (Some(node), _) => {
            if fs.metadata(node)?.filetype == FileType::Directory {
                return Err(Errno::IsDir);
            }
            fs.set_size(node, 0)?;
            node
        }
        (None, Some(_)) if resolved.trailing_slash => return Err(Errno::IsDir),
        (None, Some(name)) => fs.create_file(resolved.parent, &name)?,
        (None, None) => return Err(Errno::IsDir),
    };
    let mut written = 0;
    while written < data.len() {
        match fs.write(file, written as u64, &data[written..])? {
            0 => return Err(Errno::Io),
            n => written += n,
        }
    }
    Ok(file)
}

/// The whole content of the file at `path` (following symlinks).
pub fn read_file(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Vec<u8>> {
    let file = existing(fs, path)?;
    let size = fs.metadata(file)?.size;
    let mut data = Vec::new();
    data.try_reserve(usize::try_from(size).map_err(|_| Errno::NoMem)?)
        .map_err(|_| Errno::NoMem)?;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = fs.read(file, data.len() as u64, &mut chunk)?;
        if n == 0 {
            return Ok(data);
        }
        data.extend_from_slice(&chunk[..n]);
    }
}

/// Creates the directory `path`. `recursive` (mkdir -p): parents are created too, and an
/// existing directory is fine; otherwise an existing entry is `EEXIST`.
pub fn mkdir(fs: &mut dyn Filesystem, path: &[u8], recursive: bool) -> Result<()> {
    let resolved = match resolve_host(fs, path, false) {
        Err(Errno::NoEnt) if recursive && !path.is_empty() => {
            mkdir(fs, dirname(path), true)?;
            resolve_host(fs, path, false)?
        }
        other => other?,
    };
    match (resolved.node, resolved.name) {
        (None, Some(name)) => fs.create_dir(resolved.parent, &name),
        (Some(_), _) | (None, None) if recursive && is_dir(fs, path) => Ok(()),
        _ => Err(Errno::Exist),
    }
}

fn is_dir(fs: &mut dyn Filesystem, path: &[u8]) -> bool {
    stat(fs, path).is_ok_and(|m| m.filetype == FileType::Directory)
}

/// The entries of the directory `path` (following symlinks), without `.` and `..`, in the
/// filesystem's stable order.
pub fn readdir(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Vec<DirEntry>> {
    let dir = existing(fs, path)?;
    fs.readdir(dir)
}

/// Metadata of what `path` names, following symlinks.
pub fn stat(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Metadata> {
    let node = existing(fs, path)?;
    fs.metadata(node)
}

/// Metadata of `path` itself (a symlink is reported as one).
pub fn lstat(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Metadata> {
    let node = resolve_host(fs, path, false)?.node.ok_or(Errno::NoEnt)?;
    fs.metadata(node)
}

/// Creates the symlink `path` whose content is `target` (stored as given; the guest's resolution
/// refuses absolute or escaping targets when it follows them).
pub fn symlink(fs: &mut dyn Filesystem, target: &[u8], path: &[u8]) -> Result<()> {
    check_path_bytes(target)?;
    let (dir, name) = vacant(fs, path)?;
    fs.symlink(dir, &name, target)
}

/// The content of the symlink `path`.
pub fn readlink(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Vec<u8>> {
    let node = resolve_host(fs, path, false)?.node.ok_or(Errno::NoEnt)?;
    fs.readlink(node)
}

/// Renames `from` to `to` with POSIX replace rules (symlinks are renamed, not followed).
pub fn rename(fs: &mut dyn Filesystem, from: &[u8], to: &[u8]) -> Result<()> {
    let source = resolve_host(fs, from, false)?;
    let target = resolve_host(fs, to, false)?;
    let (Some(from_name), Some(to_name)) = (source.name, target.name) else {
        return Err(Errno::Busy);
    };
    source.node.ok_or(Errno::NoEnt)?;
    fs.rename(source.parent, &from_name, target.parent, &to_name)
}

/// Removes `path` (a symlink itself, never its target). A directory needs `recursive`
/// (`EISDIR` otherwise, as node:fs `rmSync`); the root cannot be removed (`EBUSY`).
pub fn rm(fs: &mut dyn Filesystem, path: &[u8], recursive: bool) -> Result<()> {
    let resolved = resolve_host(fs, path, false)?;
    let node = resolved.node.ok_or(Errno::NoEnt)?;
    let Some(name) = resolved.name else {
        return Err(Errno::Busy);
    };
    if fs.metadata(node)?.filetype != FileType::Directory {
        return fs.unlink(resolved.parent, &name);
    }
    if !recursive {
        return Err(Errno::IsDir);
    }
    remove_tree(fs, resolved.parent, name, node)
}

/// Removes the directory `dir` (named `name` in `parent`) and everything below it, without
/// recursion (a hostile guest may have built a very deep tree).
fn remove_tree(fs: &mut dyn Filesystem, parent: Ino, name: Vec<u8>, dir: Ino) -> Result<()> {
    struct Pending {
        parent: Ino,
        name: Vec<u8>,
        dir: Ino,
        /// Its files are gone and its subdirectories are above it on the stack.
        emptied: bool,
    }
    let mut stack = vec![Pending {
        parent,
        name,
        dir,
        emptied: false,
    }];
    while let Some(top) = stack.last_mut() {
        if top.emptied {
            let done = stack.pop().expect("stack is not empty");
            fs.rmdir(done.parent, &done.name)?;
            continue;
        }
        top.emptied = true;
        let dir = top.dir;
        for entry in fs.readdir(dir)? {
            if entry.filetype == FileType::Directory {
                stack.push(Pending {
                    parent: dir,
                    name: entry.name,
                    dir: entry.ino,
                    emptied: false,
                });
            } else {
                fs.unlink(dir, &entry.name)?;
            }
        }
    }
    Ok(())
}

/// Does `path` name something (following symlinks, as node:fs `existsSync`)?
pub fn exists(fs: &mut dyn Filesystem, path: &[u8]) -> bool {
    existing(fs, path).is_ok()
}

/// The directory node at `path` (following symlinks), to root a preopen there: the guest then
/// sees that directory as its whole world.
pub fn subtree(fs: &mut dyn Filesystem, path: &[u8]) -> Result<Ino> {
    let dir = existing(fs, path)?;
    if fs.metadata(dir)?.filetype != FileType::Directory {
        return Err(Errno::NotDir);
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::mem::MemFs;

    fn names(fs: &mut MemFs, path: &str) -> Vec<String> {
        readdir(fs, path.as_bytes())
            .unwrap()
            .into_iter()
            .map(|e| String::from_utf8(e.name).unwrap())
            .collect()
    }

    #[test]
    fn dirname_cases() {
        for (path, want) in [
            ("a/b", "a"),
            ("a/b//", "a"),
            ("b", "."),
            ("/b", "/"),
            ("/a/b/c", "/a/b"),
            ("/", "/"),
        ] {
            assert_eq!(dirname(path.as_bytes()), want.as_bytes(), "{path}");
        }
    }

    #[test]
    fn write_read_creates_parents_and_replaces() {
        let mut fs = MemFs::new();
        write_file(&mut fs, b"/app/src/main.py", b"print(1)").unwrap();
        assert_eq!(
            read_file(&mut fs, b"/app/src/main.py").unwrap(),
            b"print(1)"
        );
        assert_eq!(
            read_file(&mut fs, b"app/src/main.py").unwrap(),
            b"print(1)",
            "relative = from root"
        );
        write_file(&mut fs, b"/app/src/main.py", b"x").unwrap();
        assert_eq!(
            read_file(&mut fs, b"/app/src/main.py").unwrap(),
            b"x",
            "replaced, not overwritten in place"
        );
        assert_eq!(write_file(&mut fs, b"/app", b"x"), Err(Errno::IsDir));
        assert_eq!(write_file(&mut fs, b"/", b"x"), Err(Errno::IsDir));
        assert_eq!(
            write_file(&mut fs, b"/app/src/main.py/x", b""),
            Err(Errno::NotDir)
        );
        assert_eq!(read_file(&mut fs, b"/nope"), Err(Errno::NoEnt));
        assert_eq!(read_file(&mut fs, b"/app"), Err(Errno::IsDir));
        let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        write_file(&mut fs, b"/big", &big).unwrap();
        assert_eq!(read_file(&mut fs, b"/big").unwrap(), big);
    }

    #[test]
    fn host_paths_cannot_escape_the_root() {
        let mut fs = MemFs::new();
        write_file(&mut fs, b"/a/f", b"1").unwrap();
        assert_eq!(read_file(&mut fs, b"/../a/f"), Err(Errno::NotCapable));
        assert_eq!(read_file(&mut fs, b"/a/../../a/f"), Err(Errno::NotCapable));
        symlink(&mut fs, b"/a/f", b"/abs").unwrap();
        assert_eq!(read_file(&mut fs, b"/abs"), Err(Errno::NotCapable));
        assert_eq!(read_file(&mut fs, b"/a/../a/f").unwrap(), b"1");
    }

    #[test]
    fn mkdir_plain_and_recursive() {
        let mut fs = MemFs::new();
        assert_eq!(mkdir(&mut fs, b"/x/y", false), Err(Errno::NoEnt));
        mkdir(&mut fs, b"/x/y/z", true).unwrap();
        mkdir(&mut fs, b"/x/y/z", true).unwrap();
        mkdir(&mut fs, b"/x/y/z/", true).unwrap();
        mkdir(&mut fs, b"/", true).unwrap();
        assert_eq!(mkdir(&mut fs, b"/x/y/z", false), Err(Errno::Exist));
        assert_eq!(mkdir(&mut fs, b"/", false), Err(Errno::Exist));
        mkdir(&mut fs, b"/x/w", false).unwrap();
        assert_eq!(names(&mut fs, "/x"), ["w", "y"]);
        write_file(&mut fs, b"/file", b"").unwrap();
        assert_eq!(mkdir(&mut fs, b"/file", true), Err(Errno::Exist));
        assert_eq!(mkdir(&mut fs, b"/file/sub", true), Err(Errno::NotDir));
        symlink(&mut fs, b"x", b"/to_x").unwrap();
        mkdir(&mut fs, b"/to_x", true).unwrap();
        mkdir(&mut fs, b"/to_x/v", true).unwrap();
        assert_eq!(names(&mut fs, "/x"), ["v", "w", "y"]);
        assert_eq!(mkdir(&mut fs, b"", true), Err(Errno::NoEnt));
    }

    #[test]
    fn stat_lstat_symlink_readlink_exists() {
        let mut fs = MemFs::new();
        write_file(&mut fs, b"/d/f", b"abc").unwrap();
        symlink(&mut fs, b"d/f", b"/l").unwrap();
        assert_eq!(symlink(&mut fs, b"x", b"/l"), Err(Errno::Exist));
        assert_eq!(symlink(&mut fs, b"", b"/m"), Err(Errno::NoEnt));
        let st = stat(&mut fs, b"/l").unwrap();
        assert_eq!((st.filetype, st.size), (FileType::RegularFile, 3));
        assert_eq!(
            lstat(&mut fs, b"/l").unwrap().filetype,
            FileType::SymbolicLink
        );
        assert_eq!(readlink(&mut fs, b"/l").unwrap(), b"d/f");
        assert_eq!(readlink(&mut fs, b"/d/f"), Err(Errno::Inval));
        assert!(exists(&mut fs, b"/l") && exists(&mut fs, b"/") && exists(&mut fs, b"/d/"));
        symlink(&mut fs, b"missing", b"/dangling").unwrap();
        assert!(!exists(&mut fs, b"/dangling"));
        assert!(lstat(&mut fs, b"/dangling").is_ok());
        assert!(!exists(&mut fs, b"/nope") && !exists(&mut fs, b"/../x") && !exists(&mut fs, b""));
        let entries = readdir(&mut fs, b"/").unwrap();
        let kinds: Vec<_> = entries
            .iter()
            .map(|e| (e.name.as_slice(), e.filetype))
            .collect();
        assert_eq!(
            kinds,
            [
                (&b"d"[..], FileType::Directory),
                (&b"dangling"[..], FileType::SymbolicLink),
                (&b"l"[..], FileType::SymbolicLink),
            ]
        );
    }

    #[test]
    fn rm_files_links_and_trees() {
        let mut fs = MemFs::new();
        write_file(&mut fs, b"/t/a/b/c/f", b"1").unwrap();
        write_file(&mut fs, b"/t/a/g", b"2").unwrap();
        mkdir(&mut fs, b"/t/e", true).unwrap();
        write_file(&mut fs, b"/keep", b"k").unwrap();
        symlink(&mut fs, b"keep", b"/t/link").unwrap();
        symlink(&mut fs, b"t", b"/tlink").unwrap();
        let before = fs.node_count();
        assert_eq!(rm(&mut fs, b"/t", false), Err(Errno::IsDir));
        assert_eq!(rm(&mut fs, b"/", true), Err(Errno::Busy));
        assert_eq!(rm(&mut fs, b"/nope", true), Err(Errno::NoEnt));
        rm(&mut fs, b"/tlink", true).unwrap();
        assert!(
            exists(&mut fs, b"/t/a/g"),
            "removing a symlink leaves its target"
        );
        rm(&mut fs, b"/t", true).unwrap();
        assert!(!exists(&mut fs, b"/t"));
        assert_eq!(
            read_file(&mut fs, b"/keep").unwrap(),
            b"k",
            "links inside were removed, not followed"
        );
        assert_eq!(
            fs.node_count(),
            before - 9,
            "every node of the tree was freed"
        );
        rm(&mut fs, b"/keep", false).unwrap();
        assert_eq!(names(&mut fs, "/"), Vec::<String>::new());
    }

    #[test]
    fn rm_very_deep_tree_does_not_recurse() {
        let mut fs = MemFs::new();
        let mut dir = fs.root();
        fs.create_dir(dir, b"top").unwrap();
        dir = fs.lookup(dir, b"top").unwrap();
        for _ in 0..100_000 {
            fs.create_dir(dir, b"d").unwrap();
            dir = fs.lookup(dir, b"d").unwrap();
        }
        rm(&mut fs, b"/top", true).unwrap();
        assert_eq!(fs.node_count(), 1);
    }

    #[test]
    fn rename_and_subtree() {
        let mut fs = MemFs::new();
        write_file(&mut fs, b"/app/in.txt", b"hi").unwrap();
        rename(&mut fs, b"/app/in.txt", b"/app/out.txt").unwrap();
        assert_eq!(read_file(&mut fs, b"/app/out.txt").unwrap(), b"hi");
        assert_eq!(rename(&mut fs, b"/", b"/x"), Err(Errno::Busy));
        assert_eq!(rename(&mut fs, b"/nope", b"/x"), Err(Errno::NoEnt));
        let app = subtree(&mut fs, b"/app").unwrap();
        let r = resolve(&mut fs, app, b"out.txt", false).unwrap();
        assert!(r.node.is_some());
        assert_eq!(
            resolve(&mut fs, app, b"../app/out.txt", false).unwrap_err(),
            Errno::NotCapable
        );
        assert_eq!(subtree(&mut fs, b"/app/out.txt"), Err(Errno::NotDir));
        assert_eq!(subtree(&mut fs, b"/"), Ok(fs.root()));
    }
}
