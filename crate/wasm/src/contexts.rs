//! The table of live guest contexts, addressed from JS by an id.
//!
//! An id is a slot index (low [`SLOT_BITS`] bits) plus the slot's generation (high bits), bumped
//! each time the slot is freed: a stale id — a disposed `WASI`'s forwarders calling after a new
//! context took its slot — never reaches the new context, and every call with one returns
//! [`DISPOSED`] (docs/engine-abi.md). A slot whose generation would wrap is retired, so an id
//! is never handed out twice. The engine's *imports* name a context by its slot alone: the
//! engine only calls them for the context it just validated.
//!
//! A context is borrowed only for the duration of one engine call. Host callbacks made during
//! that call (a stdout callback, say) may re-enter the engine for *another* context or for a
//! `MemFs` method; re-entering the *same* context is refused with `EBUSY` instead of panicking.
use std::cell::RefCell;
use std::rc::Rc;

use cove_core::errno::Errno;
use cove_core::host::Ctx;

/// Bits of an id that name the slot (up to 1,048,576 contexts alive at once).
pub const SLOT_BITS: u32 = 20;
const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;
const MAX_GENERATION: u32 = u32::MAX >> SLOT_BITS;

/// Returned by every per-context export for an id that names no live context (a disposed
/// `WASI`'s): JS throws "this WASI instance was disposed". Above any errno, like the other
/// sentinels of cove-core's p1 module.
pub const DISPOSED: u32 = 0x1_0002;

enum State {
    Free,
    /// Handed out by [`reserve`]; the context is being built (its host needs the id first).
    Reserved,
    Live(Rc<RefCell<Ctx>>),
    /// Its generations are used up: never handed out again.
    Retired,
}

struct Slot {
    generation: u32,
    state: State,
}

thread_local! {
    static CONTEXTS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// The slot of an id (what the `cove_host` imports receive).
pub fn slot_of(id: u32) -> u32 {
    id & SLOT_MASK
}

fn id_of(slot: usize, generation: u32) -> u32 {
    (generation << SLOT_BITS) | slot as u32
}

/// A fresh id for a context being built; `None` when every slot is taken.
pub fn reserve() -> Option<u32> {
    CONTEXTS.with(|t| {
        let mut t = t.borrow_mut();
        let slot = match t.iter().position(|s| matches!(s.state, State::Free)) {
            Some(i) => i,
            None if t.len() <= SLOT_MASK as usize => {
                t.try_reserve(1).ok()?;
                t.push(Slot {
                    generation: 0,
                    state: State::Free,
                });
                t.len() - 1
            }
            None => return None,
        };
        t[slot].state = State::Reserved;
        Some(id_of(slot, t[slot].generation))
    })
}

/// Whether `slot` is the one `id` names now (its generation matches).
fn is_current(slot: &Slot, id: u32) -> bool {
    id_of(0, slot.generation) == id & !SLOT_MASK
}

fn current(t: &mut [Slot], id: u32) -> Option<&mut Slot> {
    t.get_mut(slot_of(id) as usize)
        .filter(|s| is_current(s, id))
}

pub fn install(id: u32, ctx: Ctx) {
    CONTEXTS.with(|t| {
        if let Some(slot) = current(&mut t.borrow_mut(), id) {
            slot.state = State::Live(Rc::new(RefCell::new(ctx)));
        }
    });
}

/// Frees `id`, dropping its context if any (descriptors close, possibly calling into JS, so
/// the drop happens outside the table borrow). A stale id frees nothing.
pub fn remove(id: u32) {
    let old = CONTEXTS.with(|t| {
        let mut t = t.borrow_mut();
        let Some(slot) = current(&mut t, id) else {
            return State::Free;
        };
        let next = if slot.generation == MAX_GENERATION {
            State::Retired
        } else {
            State::Free
        };
        slot.generation = (slot.generation + 1) & MAX_GENERATION;
        std::mem::replace(&mut slot.state, next)
    });
    drop(old);
}

/// Runs `f` on context `id`; [`DISPOSED`] for an id that names no live context, `EBUSY` when
/// it is already in a call.
pub fn with_ctx(id: u32, f: impl FnOnce(&mut Ctx) -> u32) -> u32 {
    try_with_ctx(id, f).unwrap_or_else(|e| e)
}

/// Runs `f` on context `id`, or `Err` with [`DISPOSED`] or `EBUSY` as [`with_ctx`] returns them.
pub fn try_with_ctx<T>(id: u32, f: impl FnOnce(&mut Ctx) -> T) -> Result<T, u32> {
    let _entered = crate::enter();
    let ctx = CONTEXTS.with(|t| match t.borrow().get(slot_of(id) as usize) {
        Some(
            slot @ Slot {
                state: State::Live(ctx),
                ..
            },
        ) if is_current(slot, id) => Some(ctx.clone()),
        _ => None,
    });
    let Some(ctx) = ctx else { return Err(DISPOSED) };
    let Ok(mut ctx) = ctx.try_borrow_mut() else {
        return Err(Errno::Busy as u32);
    };
    Ok(f(&mut ctx))
}
