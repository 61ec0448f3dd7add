//! The guest's linear memory, reached through numeric-only imports that JS serves from cached
//! views (docs/boundary.md: cheaper than handing JS objects to the engine, and it survives
//! `memory.grow`, which JS re-validates on every call).
use std::cell::Cell;

use cove_core::errno::{Errno, Result};
use cove_core::memory::GuestMemory;

#[link(wasm_import_module = "cove_host")]
extern "C" {
    fn guest_size(ctx: u32) -> f64;
    /// Guest -> engine copy; 0 ok, 1 out of range.
    fn guest_read(ctx: u32, gptr: u32, len: usize, eptr: *mut u8) -> u32;
    /// Engine -> guest copy; 0 ok, 1 out of range.
    fn guest_write(ctx: u32, eptr: *const u8, len: usize, gptr: u32) -> u32;
}

/// The memory of the guest bound to context `ctx`, for the length of one p1 call.
pub struct JsGuestMemory {
    ctx: u32,
    /// The size learnt by the first `size()` of this call. The core range-checks output
    /// pointers before any side effect, two or three times per call, and each check was a JS
    /// crossing. A memory never shrinks, and the guest cannot run during the call, so the size
    /// can only be larger later (a JS callback growing it): a stale value refuses more, never
    /// less, and every copy is checked again in JS against the live memory anyway.
    size: Cell<Option<u64>>,
}

impl JsGuestMemory {
    pub fn new(ctx: u32) -> JsGuestMemory {
        JsGuestMemory {
            ctx,
            size: Cell::new(None),
        }
    }
}

impl GuestMemory for JsGuestMemory {
    fn refresh_size(&mut self) {
        self.size.set(None);
    }

    fn size(&self) -> u64 {
        if let Some(size) = self.size.get() {
            return size;
        }
        let size = unsafe { guest_size(self.ctx) as u64 };
        self.size.set(Some(size));
        size
    }

    fn read(&mut self, ptr: u32, buf: &mut [u8]) -> Result<()> {
        if buf.is_empty() {
            return cove_core::memory::check_range(self.size(), ptr, 0);
        }
        match unsafe { guest_read(self.ctx, ptr, buf.len(), buf.as_mut_ptr()) } {
            0 => Ok(()),
            _ => Err(Errno::Fault),
        }
    }

    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return cove_core::memory::check_range(self.size(), ptr, 0);
        }
        match unsafe { guest_write(self.ctx, data.as_ptr(), data.len(), ptr) } {
            0 => Ok(()),
            _ => Err(Errno::Fault),
        }
    }
}
