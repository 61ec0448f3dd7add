//! (being written)
use super::Res;
use crate::errno::Errno;
use crate::host::Ctx;
use crate::memory::GuestMemory;

pub(super) fn poll_oneoff(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _subscriptions: u32, _events: u32, _nsubscriptions: u32, _nevents: u32) -> Res {
    Err(Errno::NoSys.into())
}
