//! The table of live guest contexts, addressed from JS by a small integer id.
//!
//! A context is borrowed only for the duration of one engine call. Host callbacks made during
//! that call (a stdout callback, say) may re-enter the engine for *another* context or for a
//! `MemFs` method; re-entering the *same* context is refused with `EBUSY` instead of panicking.
use std::cell::RefCell;
use std::rc::Rc;

use cove_core::errno::Errno;
use cove_core::host::Ctx;

enum Slot {
    Free,
    /// Handed out by [`reserve`]; the context is being built (its host needs the id first).
    Reserved,
    Live(Rc<RefCell<Ctx>>),
}

thread_local! {
    static CONTEXTS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

pub fn reserve() -> u32 {
    CONTEXTS.with(|t| {
        let mut t = t.borrow_mut();
        let id = match t.iter().position(|s| matches!(s, Slot::Free)) {
            Some(i) => i,
            None => {
                t.push(Slot::Free);
                t.len() - 1
            }
        };
        t[id] = Slot::Reserved;
        id as u32
    })
}

pub fn install(id: u32, ctx: Ctx) {
    CONTEXTS.with(|t| t.borrow_mut()[id as usize] = Slot::Live(Rc::new(RefCell::new(ctx))));
}

/// Frees an id, dropping its context if any (descriptors close, possibly calling into JS, so
/// the drop happens outside the table borrow).
pub fn remove(id: u32) {
    let old = CONTEXTS.with(|t| match t.borrow_mut().get_mut(id as usize) {
        Some(slot) => std::mem::replace(slot, Slot::Free),
        None => Slot::Free,
    });
    drop(old);
}

/// Runs `f` on context `id`; `EBADF` for an unknown id, `EBUSY` when it is already in a call.
pub fn with_ctx(id: u32, f: impl FnOnce(&mut Ctx) -> u32) -> u32 {
    let ctx = CONTEXTS.with(|t| match t.borrow().get(id as usize) {
        Some(Slot::Live(ctx)) => Some(ctx.clone()),
        _ => None,
    });
    let Some(ctx) = ctx else { return Errno::Badf as u32 };
    let Ok(mut ctx) = ctx.try_borrow_mut() else { return Errno::Busy as u32 };
    f(&mut ctx)
}
