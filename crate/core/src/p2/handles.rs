//! The context's p2 handle table: every `own`/`borrow` of a WASI resource crosses as an index
//! into it. Typed: a handle used as the wrong resource type is unknown, as wasmtime's table
//! answers. Index 0 is never handed out (a guest's zeroed memory must not name a resource).
//!
//! Parents and children follow wasmtime (crates/wasi, `ResourceTable::push_child`): a pollable
//! is a child of the stream it was subscribed from, and dropping a resource that still has
//! children traps. Streams of a descriptor and directory-entry streams are not its children in
//! wasmtime (they keep the file open themselves), so a descriptor may be dropped before them.
use super::{trap, Call};
use crate::host::error::Error;
use crate::host::fs::Node;
use crate::host::poll::Deadline;
use crate::host::streams::StdioKind;
use crate::host::table::Table;
use crate::vfs::DirEntry;

/// At most this many handles at once per context: each is a little engine memory, and a guest
/// creating pollables in a loop must hit a trap, not exhaust the engine.
pub const MAX_HANDLES: u64 = 1 << 20;

/// A stream of bytes the guest reads.
pub enum InputStream {
    Stdin,
    /// A file from `read-via-stream`: its data from `position` on.
    File {
        node: Node,
        position: u64,
    },
    /// A stream that ended (read to the end of a file): every read is `closed`.
    Closed,
}

/// A stream of bytes the guest writes.
pub enum OutputStream {
    Stdio(StdioKind),
    /// A file from `write-via-stream` (at `position`) or `append-via-stream` (`append`).
    File {
        node: Node,
        position: u64,
        append: bool,
    },
}

/// What a pollable waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pollable {
    /// Always ready (output streams, files).
    Ready,
    /// A point in time on a guest clock (`subscribe-instant`, `subscribe-duration`).
    Deadline(Deadline),
    /// Stdin has data or reached its end.
    Stdin,
}

/// What an open descriptor is.
pub struct Descriptor {
    pub node: Node,
    pub dir: bool,
    /// The descriptor-flags it was opened with (read, write, mutate-directory…).
    pub flags: u32,
}

/// A `directory-entry-stream`: the listing taken when it was opened, and how far it got.
pub struct DirEntries {
    pub entries: Vec<DirEntry>,
    pub next: usize,
}

/// Every resource type p2 hands out.
pub enum Resource {
    /// Holds index 0 so that it is never handed out.
    Reserved,
    Input(InputStream),
    Output(OutputStream),
    Pollable(Pollable),
    /// A `wasi:io/error`: the host failure behind a stream's `last-operation-failed`.
    Error(Error),
    Descriptor(Descriptor),
    DirEntries(DirEntries),
    TerminalInput,
    TerminalOutput,
    /// A wasi:sockets or wasi:http resource handed out only to be refused on use.
    Denied(Denied),
}

/// The sockets and http resources a guest can get without any network access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    Network,
}

struct Entry {
    resource: Resource,
    /// The handle this one was created from (0: none), whose child count it holds up.
    parent: u32,
    children: u32,
}

/// What p2 keeps per guest (in [`crate::host::Ctx`]).
pub struct State {
    table: Table<Entry>,
    /// Open descriptors, held to the policy's `limits.openFiles` as p1's are.
    descriptors: u64,
    /// The embedder cannot wait (no JSPI, no Atomics): a call that would block gives the
    /// documented fallback answer instead (docs/engine-abi.md, "Preview 2").
    pub cannot_wait: bool,
}

impl Default for State {
    fn default() -> State {
        let mut table = Table::default();
        let reserved = Entry {
            resource: Resource::Reserved,
            parent: 0,
            children: 0,
        };
        let _ = table.insert(reserved, 1);
        State {
            table,
            descriptors: 0,
            cannot_wait: false,
        }
    }
}

/// The trap for a handle that names nothing of the expected type.
#[cold]
pub(crate) fn unknown(handle: u32) -> super::Stop {
    trap(format!("unknown handle index {handle}"))
}

impl State {
    /// A new handle for `resource`.
    pub fn push(&mut self, resource: Resource) -> Call<u32> {
        self.insert(resource, 0)
    }

    /// A new handle for `resource`, a child of `parent` (which must stay until it is dropped).
    pub fn push_child(&mut self, resource: Resource, parent: u32) -> Call<u32> {
        let handle = self.insert(resource, parent)?;
        if let Ok(entry) = self.table.get_mut(parent) {
            entry.children += 1;
        }
        Ok(handle)
    }

    fn insert(&mut self, resource: Resource, parent: u32) -> Call<u32> {
        let descriptor = matches!(resource, Resource::Descriptor(_));
        let entry = Entry {
            resource,
            parent,
            children: 0,
        };
        let handle = self
            .table
            .insert(entry, MAX_HANDLES)
            .map_err(|_| trap(format!("too many open handles (at most {MAX_HANDLES})")))?;
        self.descriptors += u64::from(descriptor);
        Ok(handle)
    }

    /// Open descriptors.
    pub fn descriptors(&self) -> u64 {
        self.descriptors
    }

    /// The resource `handle` names (never the reserved index 0).
    pub fn get(&mut self, handle: u32) -> Call<&mut Resource> {
        match self.table.get_mut(handle) {
            Ok(Entry {
                resource: Resource::Reserved,
                ..
            })
            | Err(_) => Err(unknown(handle)),
            Ok(entry) => Ok(&mut entry.resource),
        }
    }

    /// Drops `handle`, which must be of the type `is` accepts and have no live children.
    pub fn delete(&mut self, handle: u32, is: fn(&Resource) -> bool) -> Call<Resource> {
        let entry = self.table.get(handle).map_err(|_| unknown(handle))?;
        if matches!(entry.resource, Resource::Reserved) || !is(&entry.resource) {
            return Err(unknown(handle));
        }
        if entry.children > 0 {
            return Err(trap(format!(
                "resource {handle} has {} children that must be dropped first",
                entry.children
            )));
        }
        let entry = self.table.remove(handle).map_err(|_| unknown(handle))?;
        self.descriptors -= u64::from(matches!(entry.resource, Resource::Descriptor(_)));
        if entry.parent != 0 {
            if let Ok(parent) = self.table.get_mut(entry.parent) {
                parent.children = parent.children.saturating_sub(1);
            }
        }
        Ok(entry.resource)
    }

    /// Open handles (the reserved index 0 not counted).
    pub fn len(&self) -> u64 {
        self.table.open_count() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every handle (the context ends): descriptors and file streams release their files.
    pub(crate) fn close_all(&mut self) {
        let handles: Vec<u32> = self
            .table
            .iter()
            .map(|(i, _)| i)
            .filter(|&i| i != 0)
            .collect();
        for handle in handles {
            if let Ok(entry) = self.table.remove(handle) {
                self.descriptors -= u64::from(matches!(entry.resource, Resource::Descriptor(_)));
                release(entry.resource);
            }
        }
    }
}

/// What dropping a resource frees on the host: an open file's hold.
pub(crate) fn release(resource: Resource) {
    match resource {
        Resource::Descriptor(d) => crate::host::fs::release(&d.node),
        Resource::Input(InputStream::File { node, .. })
        | Resource::Output(OutputStream::File { node, .. }) => crate::host::fs::release(&node),
        _ => {}
    }
}

/// Typed access: `State::input(h)` is the input stream `h` names, or the trap for an unknown
/// handle.
macro_rules! typed {
    ($($fn:ident: $variant:ident => $ty:ty;)*) => {
        impl State {
            $(
                pub fn $fn(&mut self, handle: u32) -> Call<&mut $ty> {
                    match self.get(handle)? {
                        Resource::$variant(r) => Ok(r),
                        _ => Err(unknown(handle)),
                    }
                }
            )*
        }
    };
}

typed! {
    input: Input => InputStream;
    output: Output => OutputStream;
    pollable: Pollable => Pollable;
    error: Error => Error;
    descriptor: Descriptor => Descriptor;
    dir_entries: DirEntries => DirEntries;
}

/// The `[resource-drop]`s: each drops a handle of its type (releasing an open file), or traps.
macro_rules! drops {
    ($($name:ident: $pattern:pat,)*) => {
        $(
            pub fn $name(
                ctx: &mut crate::host::Ctx,
                _mem: &mut impl crate::memory::GuestMemory,
                _realloc: &mut impl super::Realloc,
                handle: u32,
            ) -> Call<()> {
                let resource = ctx.p2.delete(handle, |r| matches!(r, $pattern))?;
                release(resource);
                Ok(())
            }
        )*
    };
}

drops! {
    drop_input: Resource::Input(_),
    drop_output: Resource::Output(_),
    drop_pollable: Resource::Pollable(_),
    drop_error: Resource::Error(_),
    drop_descriptor: Resource::Descriptor(_),
    drop_dir_entries: Resource::DirEntries(_),
    drop_terminal_input: Resource::TerminalInput,
    drop_terminal_output: Resource::TerminalOutput,
    drop_network: Resource::Denied(Denied::Network),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_pollable(r: &Resource) -> bool {
        matches!(r, Resource::Pollable(_))
    }
    fn is_output(r: &Resource) -> bool {
        matches!(r, Resource::Output(_))
    }

    #[test]
    fn index_zero_is_never_handed_out_and_types_are_checked() {
        let mut s = State::default();
        let out = s
            .push(Resource::Output(OutputStream::Stdio(StdioKind::Stdout)))
            .unwrap();
        assert_eq!(out, 1);
        assert!(s.output(out).is_ok());
        assert_eq!(s.input(out).err(), Some(unknown(out)));
        assert_eq!(s.output(0).err(), Some(unknown(0)));
        assert_eq!(s.delete(0, |_| true).err(), Some(unknown(0)));
        assert_eq!(
            s.delete(out, is_pollable).err(),
            Some(trap("unknown handle index 1".into()))
        );
        assert!(s.delete(out, is_output).is_ok());
        assert_eq!(s.output(out).err(), Some(unknown(out)), "dropped");
        assert!(s.is_empty());
    }

    #[test]
    fn a_parent_with_live_children_cannot_be_dropped() {
        let mut s = State::default();
        let out = s
            .push(Resource::Output(OutputStream::Stdio(StdioKind::Stdout)))
            .unwrap();
        let p = s
            .push_child(Resource::Pollable(Pollable::Ready), out)
            .unwrap();
        let err = s.delete(out, is_output).err().unwrap();
        assert_eq!(
            err,
            trap("resource 1 has 1 children that must be dropped first".into())
        );
        assert!(s.output(out).is_ok(), "still there after the refused drop");
        s.delete(p, is_pollable).unwrap();
        s.delete(out, is_output).unwrap();
        assert_eq!(s.len(), 0);
    }
}
