//! The guest's linear memory, reached through numeric-only imports that JS serves from cached
//! views (BOUNDARY.md: cheaper than handing JS objects to the engine, and it survives
//! `memory.grow`, which JS re-validates on every call).
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

/// The memory of the guest bound to context `ctx`.
pub struct JsGuestMemory {
    pub ctx: u32,
}

impl GuestMemory for JsGuestMemory {
    fn size(&self) -> u64 {
        unsafe { guest_size(self.ctx) as u64 }
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
