//! wasi:sockets@0.2 and wasi:http's outgoing-handler: a guest that links them runs, and gets no
//! network. `instance-network`
//! hands out a network handle; creating a socket or resolving a name is refused with
//! `access-denied`; so no socket, datagram stream or resolver stream can ever exist, and every
//! method on one traps `unknown handle index N`, as a canonical-ABI `borrow` of a handle that
//! names nothing does. wasi:http/types is not provided, so no outgoing request can exist
//! either: `outgoing-handler.handle` links, and traps on its request handle.
use super::handles::{unknown, Denied, Resource};
use super::lower::{check_pointer, read_bytes, Realloc, Record, Trap};
use super::{trap, Call};
use crate::host::Ctx;
use crate::memory::GuestMemory;

/// `error-code.access-denied`.
const ACCESS_DENIED: u8 = 1;

fn is_network(r: &Resource) -> bool {
    matches!(r, Resource::Denied(Denied::Network))
}

/// instance-network.instance-network -> own<network>.
pub fn instance_network(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u32> {
    ctx.p2.push(Resource::Denied(Denied::Network))
}

/// `[resource-drop]network`.
pub fn drop_network(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    handle: u32,
) -> Call<()> {
    ctx.p2.delete(handle, is_network)?;
    Ok(())
}

/// `result<own<…>, error-code>` holding `err(access-denied)` (size 8, align 4).
fn denied(mem: &mut impl GuestMemory, retptr: u32) -> Call<()> {
    let mut out = Record::new(8);
    out.u8(0, 1).u8(4, ACCESS_DENIED);
    Ok(out.store(mem, retptr, 4)?)
}

/// tcp-create-socket.create-tcp-socket and udp-create-socket.create-udp-socket: refused.
pub fn create_socket(
    _ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    address_family: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    if address_family > 1 {
        return Err(trap(format!(
            "invalid enum discriminant for `ip-address-family`: {address_family}"
        )));
    }
    denied(mem, retptr)
}

/// ip-name-lookup.resolve-addresses(network, name): refused.
pub fn resolve_addresses(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    network: u32,
    name: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    if !is_network(ctx.p2.get(network)?) {
        return Err(unknown(network));
    }
    // Lifted as the canonical ABI would (in bounds, UTF-8), so a bad name traps everywhere.
    let name = read_bytes(mem, name, len.min(crate::bounded::MAX_PATH))?;
    if std::str::from_utf8(&name).is_err() {
        return Err(Trap("string is not valid UTF-8").into());
    }
    denied(mem, retptr)
}

/// network.network-error-code(err) -> option<error-code>: none (no error comes from a network).
pub fn network_error_code(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    err: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    ctx.p2.error(err)?;
    Ok(Record::new(2).store(mem, retptr, 1)?)
}

/// Methods and drops of resources that never exist: each traps on its handle.
macro_rules! no_such_resource {
    ($($name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? => $handle:ident;)*) => {
        $(
            pub fn $name(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _realloc: &mut impl Realloc, $($arg: $ty),*) -> Call<$crate::p2_result!($($ret)?)> {
                Err(unknown($handle))
            }
        )*
    };
}

no_such_resource! {
    ip_name_lookup_resolve_address_stream_resolve_next_address(this: u32, _retptr: u32) => this;
    ip_name_lookup_resolve_address_stream_subscribe(this: u32) -> u32 => this;
    tcp_tcp_socket_start_bind(this: u32, _network: u32, _local_address_0: u32, _local_address_1: u32, _local_address_2: u32, _local_address_3: u32, _local_address_4: u32, _local_address_5: u32, _local_address_6: u32, _local_address_7: u32, _local_address_8: u32, _local_address_9: u32, _local_address_10: u32, _local_address_11: u32, _retptr: u32) => this;
    tcp_tcp_socket_finish_bind(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_start_connect(this: u32, _network: u32, _remote_address_0: u32, _remote_address_1: u32, _remote_address_2: u32, _remote_address_3: u32, _remote_address_4: u32, _remote_address_5: u32, _remote_address_6: u32, _remote_address_7: u32, _remote_address_8: u32, _remote_address_9: u32, _remote_address_10: u32, _remote_address_11: u32, _retptr: u32) => this;
    tcp_tcp_socket_finish_connect(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_start_listen(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_finish_listen(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_accept(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_local_address(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_remote_address(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_is_listening(this: u32) -> u32 => this;
    tcp_tcp_socket_address_family(this: u32) -> u32 => this;
    tcp_tcp_socket_set_listen_backlog_size(this: u32, _value: u64, _retptr: u32) => this;
    tcp_tcp_socket_keep_alive_enabled(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_keep_alive_enabled(this: u32, _value: u32, _retptr: u32) => this;
    tcp_tcp_socket_keep_alive_idle_time(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_keep_alive_idle_time(this: u32, _value: u64, _retptr: u32) => this;
    tcp_tcp_socket_keep_alive_interval(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_keep_alive_interval(this: u32, _value: u64, _retptr: u32) => this;
    tcp_tcp_socket_keep_alive_count(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_keep_alive_count(this: u32, _value: u32, _retptr: u32) => this;
    tcp_tcp_socket_hop_limit(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_hop_limit(this: u32, _value: u32, _retptr: u32) => this;
    tcp_tcp_socket_receive_buffer_size(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_receive_buffer_size(this: u32, _value: u64, _retptr: u32) => this;
    tcp_tcp_socket_send_buffer_size(this: u32, _retptr: u32) => this;
    tcp_tcp_socket_set_send_buffer_size(this: u32, _value: u64, _retptr: u32) => this;
    tcp_tcp_socket_subscribe(this: u32) -> u32 => this;
    tcp_tcp_socket_shutdown(this: u32, _shutdown_type: u32, _retptr: u32) => this;
    udp_udp_socket_start_bind(this: u32, _network: u32, _local_address_0: u32, _local_address_1: u32, _local_address_2: u32, _local_address_3: u32, _local_address_4: u32, _local_address_5: u32, _local_address_6: u32, _local_address_7: u32, _local_address_8: u32, _local_address_9: u32, _local_address_10: u32, _local_address_11: u32, _retptr: u32) => this;
    udp_udp_socket_finish_bind(this: u32, _retptr: u32) => this;
    udp_udp_socket_stream(this: u32, _remote_address_0: u32, _remote_address_1: u32, _remote_address_2: u32, _remote_address_3: u32, _remote_address_4: u32, _remote_address_5: u32, _remote_address_6: u32, _remote_address_7: u32, _remote_address_8: u32, _remote_address_9: u32, _remote_address_10: u32, _remote_address_11: u32, _remote_address_12: u32, _retptr: u32) => this;
    udp_udp_socket_local_address(this: u32, _retptr: u32) => this;
    udp_udp_socket_remote_address(this: u32, _retptr: u32) => this;
    udp_udp_socket_address_family(this: u32) -> u32 => this;
    udp_udp_socket_unicast_hop_limit(this: u32, _retptr: u32) => this;
    udp_udp_socket_set_unicast_hop_limit(this: u32, _value: u32, _retptr: u32) => this;
    udp_udp_socket_receive_buffer_size(this: u32, _retptr: u32) => this;
    udp_udp_socket_set_receive_buffer_size(this: u32, _value: u64, _retptr: u32) => this;
    udp_udp_socket_send_buffer_size(this: u32, _retptr: u32) => this;
    udp_udp_socket_set_send_buffer_size(this: u32, _value: u64, _retptr: u32) => this;
    udp_udp_socket_subscribe(this: u32) -> u32 => this;
    udp_incoming_datagram_stream_receive(this: u32, _max_results: u64, _retptr: u32) => this;
    udp_incoming_datagram_stream_subscribe(this: u32) -> u32 => this;
    udp_outgoing_datagram_stream_check_send(this: u32, _retptr: u32) => this;
    udp_outgoing_datagram_stream_send(this: u32, _datagrams_0: u32, _datagrams_1: u32, _retptr: u32) => this;
    udp_outgoing_datagram_stream_subscribe(this: u32) -> u32 => this;
    ip_name_lookup_drop_resolve_address_stream(handle: u32) => handle;
    tcp_drop_tcp_socket(handle: u32) => handle;
    udp_drop_udp_socket(handle: u32) => handle;
    udp_drop_incoming_datagram_stream(handle: u32) => handle;
    udp_drop_outgoing_datagram_stream(handle: u32) => handle;
    outgoing_handler_handle(request: u32, _options: u32, _options_handle: u32, _retptr: u32) => request;
}
