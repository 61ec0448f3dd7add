//! `MemFs`: the core's in-memory filesystem as a JS class with node:fs-like path methods
//! (js/src/memfs.js wraps it as `MemFS`). The path logic is the core's (vfs/tools.rs, over the
//! same sandboxed resolver the guest gets). Failures throw the WASI errno as a number; memfs.js
//! turns it into a Node-style error.
use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use cove_core::errno::{Errno, Result};
use cove_core::vfs::mem::MemFs as CoreMemFs;
use cove_core::vfs::{tools, Filesystem, Ino, Metadata, SetTime, SharedFs};

thread_local! {
    /// Every MemFs by id, weakly: contexts hold their own strong references.
    static REGISTRY: RefCell<Vec<Weak<RefCell<CoreMemFs>>>> = const { RefCell::new(Vec::new()) };
}

/// The filesystem registered as `id`, while its JS object is alive.
pub fn shared(id: u32) -> Option<SharedFs> {
    let fs = REGISTRY.with(|r| r.borrow().get(id as usize).and_then(Weak::upgrade))?;
    Some(fs)
}

/// The directory node at `path` (absolute within `fs`), to root a preopen there.
pub fn resolve_dir(fs: &SharedFs, path: &str) -> Result<Ino> {
    let mut fs = fs.try_borrow_mut().map_err(|_| Errno::Busy)?;
    tools::subtree(&mut *fs, path.as_bytes())
}

fn thrown(e: Errno) -> JsValue {
    JsValue::from(e as u32)
}

fn stat_array(m: Metadata) -> Vec<u64> {
    vec![
        m.filetype as u64,
        m.size,
        m.nlink,
        m.ino,
        m.atim,
        m.mtim,
        m.ctim,
    ]
}

type JsResult<T> = std::result::Result<T, JsValue>;

#[wasm_bindgen]
pub struct MemFs {
    fs: Rc<RefCell<CoreMemFs>>,
    id: u32,
}

impl MemFs {
    fn with<T>(&self, f: impl FnOnce(&mut dyn Filesystem) -> Result<T>) -> JsResult<T> {
        let _entered = crate::enter();
        let mut fs = self.fs.try_borrow_mut().map_err(|_| thrown(Errno::Busy))?;
        f(&mut *fs).map_err(thrown)
    }
}

#[wasm_bindgen]
impl MemFs {
    #[wasm_bindgen(constructor)]
    pub fn new() -> MemFs {
        let fs = Rc::new(RefCell::new(CoreMemFs::with_clock(Rc::new(
            crate::host::realtime_ns,
        ))));
        let id = REGISTRY.with(|r| {
            let mut r = r.borrow_mut();
            match r.iter().position(|w| w.strong_count() == 0) {
                Some(i) => {
                    r[i] = Rc::downgrade(&fs);
                    i
                }
                None => {
                    r.push(Rc::downgrade(&fs));
                    r.len() - 1
                }
            }
        });
        MemFs { fs, id: id as u32 }
    }

    /// The id a preopen uses to name this filesystem.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Creates or replaces a file (following a final symlink), creating parent directories.
    pub fn write_file(&self, path: &str, data: &[u8]) -> JsResult<()> {
        self.with(|fs| tools::write_file(fs, path.as_bytes(), data).map(|_| ()))
    }

    pub fn read_file(&self, path: &str) -> JsResult<Vec<u8>> {
        self.with(|fs| tools::read_file(fs, path.as_bytes()))
    }

    pub fn mkdir(&self, path: &str, recursive: bool) -> JsResult<()> {
        self.with(|fs| tools::mkdir(fs, path.as_bytes(), recursive))
    }

    /// Entry names, without `.` and `..`, in the filesystem's (sorted) order.
    pub fn readdir(&self, path: &str) -> JsResult<Vec<String>> {
        self.with(|fs| {
            let entries = tools::readdir(fs, path.as_bytes())?;
            Ok(entries
                .into_iter()
                .map(|e| String::from_utf8_lossy(&e.name).into_owned())
                .collect())
        })
    }

    /// `[filetype, size, nlink, ino, atim, mtim, ctim]`, times in nanoseconds.
    pub fn stat(&self, path: &str, follow: bool) -> JsResult<Vec<u64>> {
        self.with(|fs| {
            let m = if follow {
                tools::stat(fs, path.as_bytes())
            } else {
                tools::lstat(fs, path.as_bytes())
            };
            m.map(stat_array)
        })
    }

    pub fn symlink(&self, target: &str, path: &str) -> JsResult<()> {
        self.with(|fs| tools::symlink(fs, target.as_bytes(), path.as_bytes()))
    }

    pub fn readlink(&self, path: &str) -> JsResult<String> {
        self.with(|fs| {
            tools::readlink(fs, path.as_bytes()).map(|t| String::from_utf8_lossy(&t).into_owned())
        })
    }

    /// node:fs `rmSync`: `force` ignores a missing path.
    pub fn rm(&self, path: &str, recursive: bool, force: bool) -> JsResult<()> {
        self.with(|fs| match tools::rm(fs, path.as_bytes(), recursive) {
            Err(Errno::NoEnt) if force => Ok(()),
            other => other,
        })
    }

    pub fn rename(&self, from: &str, to: &str) -> JsResult<()> {
        self.with(|fs| tools::rename(fs, from.as_bytes(), to.as_bytes()))
    }

    /// Sets the access and modification times (nanoseconds) of `path` itself, not following a
    /// final symlink: how a filesystem copied into another engine instance keeps its times
    /// (js/src/memfs-move.js, docs/engine-abi.md "Two engines").
    pub fn set_times(&self, path: &str, atim: u64, mtim: u64) -> JsResult<()> {
        self.with(|fs| {
            let node = tools::resolve_host(fs, path.as_bytes(), false)?
                .node
                .ok_or(Errno::NoEnt)?;
            let now = crate::host::realtime_ns();
            fs.set_times(node, SetTime::At(atim), SetTime::At(mtim), now)
        })
    }
}

impl Default for MemFs {
    fn default() -> Self {
        Self::new()
    }
}
