//! [`Host`] over the numeric `cove_host` imports that js/src/engine.js serves.
use cove_core::errno::Errno;
use cove_core::host::{Clock, Host, StdinRead};

#[link(wasm_import_module = "cove_host")]
extern "C" {
    /// Deliver stdout/stderr bytes; returns an errno.
    fn out_write(ctx: u32, fd: u32, eptr: *const u8, len: usize) -> u32;
    /// n ≥ 0 bytes read (0 = EOF), -1 would block, -2 error.
    fn in_read(ctx: u32, eptr: *mut u8, max: usize) -> i32;
    /// Nanoseconds: clock 0 realtime (since the epoch), 1 monotonic.
    fn now(clock: u32) -> f64;
    fn random_fill(eptr: *mut u8, len: usize);
    /// 0 slept; 1 cannot block synchronously here.
    fn block(ctx: u32, ns: f64) -> u32;
    /// One UTF-8 JSON object.
    fn event(ctx: u32, eptr: *const u8, len: usize);
    /// 1 when stdio `fd` (0-2) is a terminal on the host, else 0.
    fn is_terminal(ctx: u32, fd: u32) -> u32;
}

pub struct JsHost {
    /// The context's slot (contexts.rs): what the imports name a context by.
    pub ctx: u32,
}

impl Host for JsHost {
    fn write_stdio(&mut self, fd: u32, data: &[u8]) -> Result<(), Errno> {
        match unsafe { out_write(self.ctx, fd, data.as_ptr(), data.len()) } {
            0 => Ok(()),
            n => Err(Errno::from_u16(n as u16).unwrap_or(Errno::Io)),
        }
    }

    fn read_stdin(&mut self, buf: &mut [u8]) -> StdinRead {
        match unsafe { in_read(self.ctx, buf.as_mut_ptr(), buf.len()) } {
            0 => StdinRead::Eof,
            -1 => StdinRead::WouldBlock,
            n if n > 0 => StdinRead::Data((n as usize).min(buf.len())),
            _ => StdinRead::Error(Errno::Io),
        }
    }

    fn now_ns(&mut self, clock: Clock) -> u64 {
        let id = match clock {
            Clock::Realtime => 0,
            Clock::Monotonic => 1,
        };
        unsafe { now(id) as u64 }
    }

    fn random_fill(&mut self, buf: &mut [u8]) {
        if !buf.is_empty() {
            unsafe { random_fill(buf.as_mut_ptr(), buf.len()) }
        }
    }

    fn block_ns(&mut self, ns: u64) -> bool {
        unsafe { block(self.ctx, ns as f64) == 0 }
    }

    fn event(&mut self, json: &str) {
        unsafe { event(self.ctx, json.as_ptr(), json.len()) }
    }

    fn is_terminal(&mut self, fd: u32) -> bool {
        unsafe { is_terminal(self.ctx, fd) != 0 }
    }
}

/// Wall-clock nanoseconds since the epoch (MemFS timestamps).
pub fn realtime_ns() -> u64 {
    unsafe { now(0) as u64 }
}
