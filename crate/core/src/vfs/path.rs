//! Sandboxed path resolution: walks one component at a time and never leaves a mount.
//!
//! Semantics follow wasmtime / cap-std, where every directory descriptor is its own sandbox root:
//!
//! * the path is walked one component at a time with [`Filesystem::lookup_entry`]; the backend
//!   never sees more than one name, so it cannot be talked into resolving anything itself;
//! * `..` pops a stack of the directories walked so far; popping above `start` is `ENOTCAPABLE`,
//!   even when the path would come back inside (`../start/x`), as in cap-std;
//! * absolute paths and absolute symlink targets are `ENOTCAPABLE`;
//! * symlinks in the middle of a path are always followed, relative to the directory that holds
//!   the link; the final component is followed only when asked (or when the path ends in `/`,
//!   as POSIX says); more than [`MAX_SYMLINK_EXPANSIONS`] expansions is `ELOOP`;
//! * a non-directory in the middle (`file/x`, `file/..`, `file/.`) is `ENOTDIR`, and so is an
//!   existing non-directory named with a trailing slash (`file/`).
//!
//! Input checks, in order: empty path `ENOENT`; invalid UTF-8 `EILSEQ` (wasmtime reads paths as
//! `str`); embedded NUL `EINVAL` (what wasmtime's host `open` reports); leading `/` `ENOTCAPABLE`.
use super::{FileType, Filesystem, Ino};
use crate::errno::{Errno, Result};
use std::borrow::Cow;

/// Linux's limit (`MAXSYMLINKS`), which wasmtime inherits from the host.
pub const MAX_SYMLINK_EXPANSIONS: u32 = 40;

/// Where a path leads. `parent` + `name` say where the final entry lives (or would be created);
/// `node` is what is there now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// Directory holding the final component. When `name` is `None` this is the directory the
    /// path names (equal to `node`).
    pub parent: Ino,
    /// Final component; None when the path names a directory only by navigation (".", "a/..",
    /// "a/."), so there is no entry name to create, remove or rename.
    pub name: Option<Vec<u8>>,
    /// The node the path names, if it exists (after following a final symlink when
    /// `follow_final`). When the final symlink was not followed, this is the symlink itself.
    pub node: Option<Ino>,
    /// The path ended in '/', so the final node must be (or be created as) a directory.
    /// (An existing non-directory with a trailing slash was already refused with `ENOTDIR`.)
    pub trailing_slash: bool,
}

/// Checks the guest-supplied bytes of a path or symlink target, before any lookup: empty is
/// `ENOENT`, invalid UTF-8 `EILSEQ`, an embedded NUL `EINVAL`. Absolute paths are not checked
/// here (`resolve` refuses them; a symlink *target* may be stored absolute and is refused when
/// followed, as wasmtime does).
pub fn check_path_bytes(path: &[u8]) -> Result<()> {
    if path.is_empty() {
        return Err(Errno::NoEnt);
    }
    if std::str::from_utf8(path).is_err() {
        return Err(Errno::Ilseq);
    }
    if path.contains(&0) {
        return Err(Errno::Inval);
    }
    Ok(())
}

/// Resolves `path` relative to the directory `start`, without ever reaching a node outside
/// `start`'s subtree. `start` must be a directory (the caller checked its descriptor).
pub fn resolve(
    fs: &mut dyn Filesystem,
    start: Ino,
    path: &[u8],
    follow_final: bool,
) -> Result<Resolved> {
    check_path_bytes(path)?;
    if path[0] == b'/' {
        return Err(Errno::NotCapable);
    }
    // One name in `start` (most paths a guest passes): looked up directly, without the walk's
    // stacks and component buffer (their allocations were a fifth of a MemFS stat). A final
    // symlink to follow continues as the walk would, from its expansion.
    let mut link_to_follow = None;
    if !path.contains(&b'/') && path != b"." && path != b".." {
        match fs.lookup_entry(start, path) {
            Ok((link, FileType::SymbolicLink)) if follow_final => link_to_follow = Some(link),
            Ok((node, _)) => return Ok(entry_of(start, path, Some(node), false)),
            Err(Errno::NoEnt) => return Ok(entry_of(start, path, None, false)),
            Err(e) => return Err(e),
        }
    }
    let mut walk = Walk {
        ancestors: vec![start],
        pending: Vec::new(),
        trailing_slash: path.ends_with(b"/"),
        expansions: 0,
    };
    match link_to_follow {
        Some(link) => walk.expand(fs, link, true)?,
        None => walk.push_path(Cow::Borrowed(path)),
    }
    let mut component = Vec::new();
    loop {
        let dir = *walk
            .ancestors
            .last()
            .expect("ancestors never empties: `..` stops at start");
        if !walk.next_component(&mut component) {
            return Ok(Resolved {
                parent: dir,
                name: None,
                node: Some(dir),
                trailing_slash: walk.trailing_slash,
            });
        }
        let is_final = walk.pending.is_empty();
        match component.as_slice() {
            b"." => continue,
            b".." => {
                if walk.ancestors.len() == 1 {
                    return Err(Errno::NotCapable);
                }
                walk.ancestors.pop();
                continue;
            }
            _ => {}
        }
        if !is_final {
            let (node, filetype) = fs.lookup_entry(dir, &component)?;
            match filetype {
                FileType::Directory => walk.ancestors.push(node),
                FileType::SymbolicLink => walk.expand(fs, node, false)?,
                _ => return Err(Errno::NotDir),
            }
            continue;
        }
        let (node, filetype) = match fs.lookup_entry(dir, &component) {
            Ok(found) => found,
            Err(Errno::NoEnt) => {
                return Ok(Resolved {
                    parent: dir,
                    name: Some(component),
                    node: None,
                    trailing_slash: walk.trailing_slash,
                })
            }
            Err(e) => return Err(e),
        };
        if filetype == FileType::SymbolicLink && (follow_final || walk.trailing_slash) {
            walk.expand(fs, node, true)?;
            continue;
        }
        if walk.trailing_slash && filetype != FileType::Directory {
            return Err(Errno::NotDir);
        }
        return Ok(Resolved {
            parent: dir,
            name: Some(component),
            node: Some(node),
            trailing_slash: walk.trailing_slash,
        });
    }
}

/// The entry `name` of `parent`, and what is there now (`node`).
fn entry_of(parent: Ino, name: &[u8], node: Option<Ino>, trailing_slash: bool) -> Resolved {
    Resolved {
        parent,
        name: Some(name.to_vec()),
        node,
        trailing_slash,
    }
}

/// The state of one resolution.
struct Walk<'p> {
    /// Directories from `start` (bottom) to the current one (top).
    ancestors: Vec<Ino>,
    /// Paths still to walk: the original at the bottom, symlink targets being expanded above it.
    /// Whole paths with a cursor rather than split components, so a hostile target of a million
    /// `./` costs one buffer, not a million allocations per expansion.
    pending: Vec<PendingPath<'p>>,
    trailing_slash: bool,
    expansions: u32,
}

/// A path whose components from `next` on are still to walk. `next` always sits on the start
/// of a component (slashes skipped), and a path with nothing left is dropped from the stack, so
/// an empty stack means "no components left".
struct PendingPath<'p> {
    /// The guest's own path is borrowed; symlink targets are owned.
    path: Cow<'p, [u8]>,
    next: usize,
}

impl PendingPath<'_> {
    fn skip_slashes(&mut self) {
        while self.path.get(self.next) == Some(&b'/') {
            self.next += 1;
        }
    }

    fn is_done(&self) -> bool {
        self.next >= self.path.len()
    }
}

impl<'p> Walk<'p> {
    /// Queues `path`'s components ahead of the rest.
    fn push_path(&mut self, path: Cow<'p, [u8]>) {
        let mut pending = PendingPath { path, next: 0 };
        pending.skip_slashes();
        if !pending.is_done() {
            self.pending.push(pending);
        }
    }

    /// Moves the next component into `component`; false when none is left.
    fn next_component(&mut self, component: &mut Vec<u8>) -> bool {
        let Some(top) = self.pending.last_mut() else {
            return false;
        };
        let rest = &top.path[top.next..];
        let len = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        component.clear();
        component.extend_from_slice(&rest[..len]);
        top.next += len;
        top.skip_slashes();
        if top.is_done() {
            self.pending.pop();
        }
        true
    }

    /// Replaces the symlink `link`, found in the current directory, by its target's components.
    fn expand(&mut self, fs: &mut dyn Filesystem, link: Ino, is_final: bool) -> Result<()> {
        self.expansions += 1;
        if self.expansions > MAX_SYMLINK_EXPANSIONS {
            return Err(Errno::Loop);
        }
        let target = fs.readlink(link)?;
        check_path_bytes(&target)?;
        if target[0] == b'/' {
            return Err(Errno::NotCapable);
        }
        if is_final && target.ends_with(b"/") {
            self.trailing_slash = true;
        }
        self.push_path(Cow::Owned(target));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::mem::MemFs;

    /// root/
    ///   dir/ nested/ file
    ///   file
    ///   up -> ..            (escapes when followed from root)
    ///   link_dir -> dir
    ///   link_file -> file
    ///   dangling -> missing
    ///   loop -> loop
    ///   abs -> /etc
    ///   dir/back -> ../file (stays inside root)
    ///   dir/slash -> nested/
    fn tree() -> (MemFs, Ino, Ino) {
        let mut fs = MemFs::new();
        let root = fs.root();
        fs.create_dir(root, b"dir").unwrap();
        let dir = fs.lookup(root, b"dir").unwrap();
        fs.create_dir(dir, b"nested").unwrap();
        let nested = fs.lookup(dir, b"nested").unwrap();
        fs.create_file(nested, b"file").unwrap();
        fs.create_file(root, b"file").unwrap();
        fs.symlink(root, b"up", b"..").unwrap();
        fs.symlink(root, b"link_dir", b"dir").unwrap();
        fs.symlink(root, b"link_file", b"file").unwrap();
        fs.symlink(root, b"dangling", b"missing").unwrap();
        fs.symlink(root, b"loop", b"loop").unwrap();
        fs.symlink(root, b"abs", b"/etc").unwrap();
        fs.symlink(dir, b"back", b"../file").unwrap();
        fs.symlink(dir, b"slash", b"nested/").unwrap();
        (fs, root, dir)
    }

    fn node(fs: &mut MemFs, start: Ino, path: &str, follow: bool) -> Result<Option<Ino>> {
        resolve(fs, start, path.as_bytes(), follow).map(|r| r.node)
    }

    #[test]
    fn interesting_paths_from_the_suite() {
        let (mut fs, root, dir) = tree();
        let nested = fs.lookup(dir, b"nested").unwrap();
        let file = fs.lookup(nested, b"file").unwrap();
        let p = "dir/.//nested/../../dir/nested/../nested///./file";
        assert_eq!(node(&mut fs, root, p, false), Ok(Some(file)));
        assert_eq!(
            node(&mut fs, root, "/dir/nested/file", false),
            Err(Errno::NotCapable)
        );
        assert_eq!(
            node(&mut fs, root, "dir/nested/file\0", false),
            Err(Errno::Inval)
        );
        assert_eq!(
            node(&mut fs, root, "dir/nested/file/", false),
            Err(Errno::NotDir)
        );
        assert_eq!(
            node(&mut fs, root, "dir/nested/file///", false),
            Err(Errno::NotDir)
        );
        assert_eq!(
            node(&mut fs, root, "dir/nested///", false),
            Ok(Some(nested))
        );
        let r = resolve(&mut fs, root, b"dir/nested/", false).unwrap();
        assert_eq!(
            (r.parent, r.name.as_deref(), r.trailing_slash),
            (dir, Some(&b"nested"[..]), true)
        );
        let escape = "dir/nested/../../../dir/nested/file";
        assert_eq!(node(&mut fs, root, escape, false), Err(Errno::NotCapable));
    }

    /// A path of one name takes a shortcut past the walk; it must end where the walk ends.
    #[test]
    fn one_name_resolves_as_the_walk_does() {
        let (mut fs, root, dir) = tree();
        let names = [
            "dir",
            "file",
            "up",
            "link_dir",
            "link_file",
            "dangling",
            "loop",
            "abs",
            "missing",
        ];
        for (start, name) in
            names
                .iter()
                .map(|n| (root, *n))
                .chain([(dir, "back"), (dir, "slash"), (dir, "nested")])
        {
            for follow in [false, true] {
                let direct = resolve(&mut fs, start, name.as_bytes(), follow);
                let walked = resolve(&mut fs, start, format!("./{name}").as_bytes(), follow);
                assert_eq!(direct, walked, "{name}, follow {follow}");
            }
        }
    }

    #[test]
    fn input_checks() {
        let (mut fs, root, _) = tree();
        assert_eq!(node(&mut fs, root, "", false), Err(Errno::NoEnt));
        assert_eq!(
            resolve(&mut fs, root, b"a\xff", false).unwrap_err(),
            Errno::Ilseq
        );
        assert_eq!(node(&mut fs, root, "a\0b", false), Err(Errno::Inval));
        assert_eq!(node(&mut fs, root, "/", false), Err(Errno::NotCapable));
        assert_eq!(node(&mut fs, root, "..", false), Err(Errno::NotCapable));
    }

    #[test]
    fn dot_and_dotdot_name_no_entry() {
        let (mut fs, root, dir) = tree();
        for (path, want) in [
            (".", root),
            ("./", root),
            ("dir/..", root),
            ("dir/.", dir),
            ("dir/nested/..", dir),
        ] {
            let r = resolve(&mut fs, root, path.as_bytes(), false).unwrap();
            assert_eq!(
                (r.parent, r.name, r.node),
                (want, None, Some(want)),
                "{path}"
            );
        }
    }

    #[test]
    fn missing_final_component_gives_where_to_create_it() {
        let (mut fs, root, dir) = tree();
        let r = resolve(&mut fs, root, b"dir/new", false).unwrap();
        assert_eq!(
            (r.parent, r.name.as_deref(), r.node),
            (dir, Some(&b"new"[..]), None)
        );
        let r = resolve(&mut fs, root, b"new/", false).unwrap();
        assert_eq!((r.parent, r.node, r.trailing_slash), (root, None, true));
        assert_eq!(node(&mut fs, root, "missing/new", false), Err(Errno::NoEnt));
    }

    #[test]
    fn non_directory_in_the_middle_is_enotdir() {
        let (mut fs, root, _) = tree();
        assert_eq!(node(&mut fs, root, "file/x", false), Err(Errno::NotDir));
        assert_eq!(node(&mut fs, root, "file/..", false), Err(Errno::NotDir));
        assert_eq!(node(&mut fs, root, "file/.", false), Err(Errno::NotDir));
        assert_eq!(
            node(&mut fs, root, "link_file/x", false),
            Err(Errno::NotDir)
        );
    }

    #[test]
    fn symlinks() {
        let (mut fs, root, dir) = tree();
        let file = fs.lookup(root, b"file").unwrap();
        let nested = fs.lookup(dir, b"nested").unwrap();
        let link_file = fs.lookup(root, b"link_file").unwrap();
        // Final component: followed only on request.
        assert_eq!(node(&mut fs, root, "link_file", false), Ok(Some(link_file)));
        assert_eq!(node(&mut fs, root, "link_file", true), Ok(Some(file)));
        // Intermediate: always followed; `..` after a link goes to the target's parent.
        assert_eq!(
            node(&mut fs, root, "link_dir/nested", false),
            Ok(Some(nested))
        );
        assert_eq!(
            node(&mut fs, root, "link_dir/nested/../..", false),
            Ok(Some(root))
        );
        // Targets are relative to the link's directory, and may climb while staying inside.
        assert_eq!(node(&mut fs, root, "dir/back", true), Ok(Some(file)));
        assert_eq!(node(&mut fs, dir, "back", true), Err(Errno::NotCapable));
        // A trailing slash follows the final link; a target's own trailing slash carries over.
        assert_eq!(node(&mut fs, root, "link_dir/", false), Ok(Some(dir)));
        assert_eq!(node(&mut fs, root, "link_file/", false), Err(Errno::NotDir));
        let r = resolve(&mut fs, root, b"dir/slash", true).unwrap();
        assert_eq!((r.node, r.trailing_slash), (Some(nested), true));
        // Dangling: followed, it names where the target would be.
        let r = resolve(&mut fs, root, b"dangling", true).unwrap();
        assert_eq!(
            (r.parent, r.name.as_deref(), r.node),
            (root, Some(&b"missing"[..]), None)
        );
        // Escapes and loops.
        assert_eq!(
            node(&mut fs, root, "up", false).map(|n| n.is_some()),
            Ok(true)
        );
        assert_eq!(node(&mut fs, root, "up", true), Err(Errno::NotCapable));
        assert_eq!(node(&mut fs, root, "up/dir", false), Err(Errno::NotCapable));
        assert_eq!(node(&mut fs, root, "abs", true), Err(Errno::NotCapable));
        assert_eq!(node(&mut fs, root, "abs/x", false), Err(Errno::NotCapable));
        assert_eq!(node(&mut fs, root, "loop", true), Err(Errno::Loop));
        assert_eq!(node(&mut fs, root, "loop/x", false), Err(Errno::Loop));
        assert!(node(&mut fs, root, "loop", false).unwrap().is_some());
    }

    #[test]
    fn huge_hostile_targets_stay_cheap() {
        // A link whose target re-enters itself before 250,000 `./`: 40 expansions must not
        // queue 10 million components.
        let mut fs = MemFs::new();
        let root = fs.root();
        let mut target = b"self/".to_vec();
        target.extend(b"./".repeat(250_000));
        fs.symlink(root, b"self", &target).unwrap();
        assert_eq!(node(&mut fs, root, "self/x", false), Err(Errno::Loop));
        let mut long = b"d/".to_vec();
        fs.create_dir(root, b"d").unwrap();
        long.extend(b"./".repeat(250_000));
        let d = fs.lookup(root, b"d").unwrap();
        assert_eq!(resolve(&mut fs, root, &long, false).unwrap().node, Some(d));
    }

    #[test]
    fn forty_expansions_allowed_forty_one_refused() {
        let mut fs = MemFs::new();
        let root = fs.root();
        fs.create_file(root, b"l0").unwrap();
        for i in 1..=41 {
            fs.symlink(
                root,
                format!("l{i}").as_bytes(),
                format!("l{}", i - 1).as_bytes(),
            )
            .unwrap();
        }
        assert!(node(&mut fs, root, "l40", true).unwrap().is_some());
        assert_eq!(node(&mut fs, root, "l41", true), Err(Errno::Loop));
    }
}
