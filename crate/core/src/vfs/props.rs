//! Property tests for the VFS: resolution never leaves its start directory, and no sequence of
//! MemFS or host-tool operations with arbitrary names, offsets and nodes panics or leaves the
//! inode table inconsistent.
use std::collections::HashSet;

use proptest::prelude::*;

use super::mem::{MemFs, MAX_FILE_SIZE};
use super::path::resolve;
use super::{tools, FileType, Filesystem, Ino, SetTime};

/// Path components that make escapes likely: climbing, names that exist outside the jail, and
/// names used inside it.
fn component() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just("..".to_string()),
        1 => Just(".".to_string()),
        1 => Just(String::new()),
        10 => prop::sample::select(vec!["a", "b", "c", "l1", "l2", "secret", "jail", "esc", "file"])
            .prop_map(str::to_string),
    ]
}

/// A path of up to 6 components, sometimes absolute, sometimes with a trailing slash.
fn path() -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.1),
        prop::collection::vec(component(), 1..6),
        any::<bool>(),
    )
        .prop_map(|(absolute, parts, trailing)| {
            let mut p = parts.join("/");
            if absolute {
                p.insert(0, '/');
            }
            if trailing {
                p.push('/');
            }
            p
        })
}

#[derive(Clone, Debug)]
enum Build {
    Dir(String),
    File(String),
    Symlink { target: String, at: String },
}

fn build_step() -> impl Strategy<Value = Build> {
    prop_oneof![
        1 => path().prop_map(Build::Dir),
        1 => path().prop_map(Build::File),
        2 => (path(), path()).prop_map(|(target, at)| Build::Symlink { target, at }),
    ]
}

/// root/{secret/{file, dir/}, link_out -> secret, jail/}, and in the jail a tree with links
/// that stay inside and links that escape; returns the filesystem and the jail.
fn jail_fs() -> (MemFs, Ino) {
    let mut fs = MemFs::new();
    tools::write_file(&mut fs, b"/secret/file", b"secret").unwrap();
    tools::mkdir(&mut fs, b"/secret/dir", false).unwrap();
    tools::symlink(&mut fs, b"secret", b"/link_out").unwrap();
    tools::mkdir(&mut fs, b"/jail", false).unwrap();
    tools::symlink(&mut fs, b"../secret", b"/jail/esc").unwrap();
    tools::symlink(&mut fs, b"..", b"/jail/up").unwrap();
    tools::write_file(&mut fs, b"/jail/a/b/file", b"").unwrap();
    tools::mkdir(&mut fs, b"/jail/a/c/secret", true).unwrap();
    tools::symlink(&mut fs, b"a/b", b"/jail/l1").unwrap();
    tools::symlink(&mut fs, b"../c/", b"/jail/a/b/l2").unwrap();
    tools::symlink(&mut fs, b"../../..", b"/jail/a/c/l1").unwrap();
    tools::symlink(&mut fs, b"../l1/file", b"/jail/a/l2").unwrap();
    let jail = tools::subtree(&mut fs, b"/jail").unwrap();
    (fs, jail)
}

/// Creates what `step` describes, resolving from the jail like a guest would (failures ignored:
/// many generated paths are invalid, and that is the point).
fn apply(fs: &mut MemFs, jail: Ino, step: &Build) {
    let at = match step {
        Build::Dir(p) | Build::File(p) | Build::Symlink { at: p, .. } => p,
    };
    let Ok(resolved) = resolve(fs, jail, at.as_bytes(), false) else {
        return;
    };
    let (None, Some(name)) = (resolved.node, resolved.name) else {
        return;
    };
    let _ = match step {
        Build::Dir(_) => fs.create_dir(resolved.parent, &name),
        Build::File(_) => fs.create_file(resolved.parent, &name).map(drop),
        Build::Symlink { target, .. } => fs.symlink(resolved.parent, &name, target.as_bytes()),
    };
}

/// Every node reachable from `dir` through directory entries (symlinks not followed).
fn subtree_of(fs: &mut MemFs, dir: Ino) -> HashSet<Ino> {
    let mut seen = HashSet::from([dir]);
    let mut todo = vec![dir];
    while let Some(d) = todo.pop() {
        for entry in fs.readdir(d).unwrap() {
            if seen.insert(entry.ino) && entry.filetype == FileType::Directory {
                todo.push(entry.ino);
            }
        }
    }
    seen
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn resolution_never_leaves_the_start_directory(
        build in prop::collection::vec(build_step(), 0..24),
        probes in prop::collection::vec((path(), any::<bool>()), 1..24),
    ) {
        let (mut fs, jail) = jail_fs();
        for step in &build {
            apply(&mut fs, jail, step);
        }
        let inside = subtree_of(&mut fs, jail);
        for (p, follow) in &probes {
            if let Ok(r) = resolve(&mut fs, jail, p.as_bytes(), *follow) {
                prop_assert!(inside.contains(&r.parent), "{p:?} (follow {follow}): parent outside");
                if let Some(node) = r.node {
                    prop_assert!(inside.contains(&node), "{p:?} (follow {follow}): node outside");
                }
                if let Some(name) = &r.name {
                    prop_assert!(!name.is_empty() && name != b"." && name != b".." && !name.contains(&b'/'));
                }
            }
        }
        fs.assert_consistent();
    }
}

/// Names: mostly a few short ones (so operations collide), sometimes arbitrary bytes.
fn name() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(vec![&b"a"[..], b"b", b"c", b"dd"]).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 0..6),
    ]
}

/// Offsets and sizes: small ones that succeed, and ones at or past the size limit that must fail
/// cleanly (nothing in between, which would allocate up to a terabyte).
fn offset() -> impl Strategy<Value = u64> {
    prop_oneof![
        8 => 0u64..70_000,
        1 => MAX_FILE_SIZE..=MAX_FILE_SIZE + 2,
        1 => (u64::MAX - 4)..=u64::MAX,
    ]
}

/// An index into the nodes seen so far, or a bogus `Ino`.
#[derive(Clone, Debug)]
enum NodeRef {
    Known(usize),
    Bogus(u64),
}

fn node_ref() -> impl Strategy<Value = NodeRef> {
    prop_oneof![9 => any::<usize>().prop_map(NodeRef::Known), 1 => any::<u64>().prop_map(NodeRef::Bogus)]
}

fn set_time() -> impl Strategy<Value = SetTime> {
    prop_oneof![
        Just(SetTime::Keep),
        Just(SetTime::Now),
        any::<u64>().prop_map(SetTime::At)
    ]
}

#[derive(Clone, Debug)]
enum Op {
    CreateFile(NodeRef, Vec<u8>),
    CreateDir(NodeRef, Vec<u8>),
    Symlink(NodeRef, Vec<u8>, Vec<u8>),
    Link(NodeRef, NodeRef, Vec<u8>),
    Unlink(NodeRef, Vec<u8>),
    Rmdir(NodeRef, Vec<u8>),
    Rename(NodeRef, Vec<u8>, NodeRef, Vec<u8>),
    Read(NodeRef, u64, usize),
    Write(NodeRef, u64, usize),
    SetSize(NodeRef, u64),
    SetTimes(NodeRef, SetTime, SetTime),
    Open(NodeRef),
    Close(NodeRef),
    Lookup(NodeRef, Vec<u8>),
    Readdir(NodeRef),
    Readlink(NodeRef),
    ToolWrite(String, usize),
    ToolMkdir(String, bool),
    ToolRm(String, bool),
    ToolRename(String, String),
    ToolSymlink(String, String),
}

fn op() -> impl Strategy<Value = Op> {
    let small = 0usize..3000;
    prop_oneof![
        (node_ref(), name()).prop_map(|(d, n)| Op::CreateFile(d, n)),
        (node_ref(), name()).prop_map(|(d, n)| Op::CreateDir(d, n)),
        (node_ref(), name(), name()).prop_map(|(d, n, t)| Op::Symlink(d, n, t)),
        (node_ref(), node_ref(), name()).prop_map(|(f, d, n)| Op::Link(f, d, n)),
        (node_ref(), name()).prop_map(|(d, n)| Op::Unlink(d, n)),
        (node_ref(), name()).prop_map(|(d, n)| Op::Rmdir(d, n)),
        (node_ref(), name(), node_ref(), name()).prop_map(|(a, x, b, y)| Op::Rename(a, x, b, y)),
        (node_ref(), offset(), small.clone()).prop_map(|(f, o, n)| Op::Read(f, o, n)),
        (node_ref(), offset(), small).prop_map(|(f, o, n)| Op::Write(f, o, n)),
        (node_ref(), offset()).prop_map(|(f, s)| Op::SetSize(f, s)),
        (node_ref(), set_time(), set_time()).prop_map(|(n, a, m)| Op::SetTimes(n, a, m)),
        node_ref().prop_map(Op::Open),
        node_ref().prop_map(Op::Close),
        (node_ref(), name()).prop_map(|(d, n)| Op::Lookup(d, n)),
        node_ref().prop_map(Op::Readdir),
        node_ref().prop_map(Op::Readlink),
        (path(), 0usize..3000).prop_map(|(p, n)| Op::ToolWrite(p, n)),
        (path(), any::<bool>()).prop_map(|(p, r)| Op::ToolMkdir(p, r)),
        (path(), any::<bool>()).prop_map(|(p, r)| Op::ToolRm(p, r)),
        (path(), path()).prop_map(|(a, b)| Op::ToolRename(a, b)),
        (path(), path()).prop_map(|(t, p)| Op::ToolSymlink(t, p)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn memfs_operations_never_panic_and_stay_consistent(ops in prop::collection::vec(op(), 1..60)) {
        let mut fs = MemFs::new();
        // Every Ino ever returned or looked up (stale ones included: they must stay harmless).
        let mut known: Vec<Ino> = vec![fs.root()];
        let pick = |known: &Vec<Ino>, r: &NodeRef| match r {
            NodeRef::Known(i) => known[i % known.len()],
            NodeRef::Bogus(ino) => *ino,
        };
        for op in &ops {
            match op {
                Op::CreateFile(d, n) => {
                    if let Ok(ino) = fs.create_file(pick(&known, d), n) {
                        known.push(ino);
                    }
                }
                Op::CreateDir(d, n) => {
                    let dir = pick(&known, d);
                    if fs.create_dir(dir, n).is_ok() {
                        known.push(fs.lookup(dir, n).unwrap());
                    }
                }
                Op::Symlink(d, n, t) => {
                    let _ = fs.symlink(pick(&known, d), n, t);
                }
                Op::Link(f, d, n) => {
                    let _ = fs.link(pick(&known, f), pick(&known, d), n);
                }
                Op::Unlink(d, n) => {
                    let _ = fs.unlink(pick(&known, d), n);
                }
                Op::Rmdir(d, n) => {
                    let _ = fs.rmdir(pick(&known, d), n);
                }
                Op::Rename(a, x, b, y) => {
                    let _ = fs.rename(pick(&known, a), x, pick(&known, b), y);
                }
                Op::Read(f, o, n) => {
                    let file = pick(&known, f);
                    let mut buf = vec![0; *n];
                    if let Ok(got) = fs.read(file, *o, &mut buf) {
                        let size = fs.metadata(file).unwrap().size;
                        prop_assert_eq!(got as u64, size.saturating_sub(*o).min(*n as u64));
                    }
                }
                Op::Write(f, o, n) => {
                    let file = pick(&known, f);
                    let before = fs.metadata(file).map(|m| m.size);
                    match fs.write(file, *o, &vec![7; *n]) {
                        Ok(written) => {
                            prop_assert_eq!(written, *n);
                            let size = fs.metadata(file).unwrap().size;
                            let want = if *n == 0 { before.unwrap() } else { before.unwrap().max(o + *n as u64) };
                            prop_assert_eq!(size, want);
                        }
                        Err(_) => prop_assert_eq!(fs.metadata(file).map(|m| m.size), before),
                    }
                }
                Op::SetSize(f, s) => {
                    let file = pick(&known, f);
                    if fs.set_size(file, *s).is_ok() {
                        prop_assert_eq!(fs.metadata(file).unwrap().size, *s);
                    }
                }
                Op::SetTimes(n, a, m) => {
                    let _ = fs.set_times(pick(&known, n), *a, *m, 5);
                }
                Op::Open(n) => {
                    let _ = fs.opened(pick(&known, n), true);
                }
                Op::Close(n) => fs.closed(pick(&known, n)),
                Op::Lookup(d, n) => {
                    if let Ok(ino) = fs.lookup(pick(&known, d), n) {
                        known.push(ino);
                    }
                }
                Op::Readdir(d) => {
                    if let Ok(entries) = fs.readdir(pick(&known, d)) {
                        let names: Vec<_> = entries.iter().map(|e| e.name.clone()).collect();
                        let mut sorted = names.clone();
                        sorted.sort();
                        sorted.dedup();
                        prop_assert_eq!(names, sorted, "stable, sorted, unique");
                    }
                }
                Op::Readlink(n) => {
                    let _ = fs.readlink(pick(&known, n));
                }
                Op::ToolWrite(p, n) => {
                    let data = vec![3u8; *n];
                    if tools::write_file(&mut fs, p.as_bytes(), &data).is_ok() {
                        prop_assert_eq!(tools::read_file(&mut fs, p.as_bytes()).unwrap(), data);
                    }
                }
                Op::ToolMkdir(p, r) => {
                    if tools::mkdir(&mut fs, p.as_bytes(), *r).is_ok() {
                        prop_assert!(tools::subtree(&mut fs, p.as_bytes()).is_ok());
                    }
                }
                Op::ToolRm(p, r) => {
                    let _ = tools::rm(&mut fs, p.as_bytes(), *r);
                }
                Op::ToolRename(a, b) => {
                    let _ = tools::rename(&mut fs, a.as_bytes(), b.as_bytes());
                }
                Op::ToolSymlink(t, p) => {
                    let _ = tools::symlink(&mut fs, t.as_bytes(), p.as_bytes());
                }
            }
            fs.assert_consistent();
        }
    }
}
