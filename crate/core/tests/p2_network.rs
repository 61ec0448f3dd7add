//! wasi:sockets and wasi:http's outgoing-handler: a guest that links them runs, gets
//! `access-denied` for every socket or name lookup, and no socket can ever exist.
mod common;
use common::*;
use cove_core::p2;

#[test]
fn sockets_are_denied_and_never_exist() {
    let mut g = Guest::new();
    let mut bump = Bump::new();
    let network = p2::instance_network_instance_network(&mut g.ctx, &mut g.mem, &mut bump).unwrap();
    assert_ne!(network, 0);
    let ret = g.alloc(8);
    p2::tcp_create_socket_create_tcp_socket(&mut g.ctx, &mut g.mem, &mut bump, 0, ret).unwrap();
    assert_eq!(
        g.bytes_at(ret, 8),
        [1, 0, 0, 0, 1, 0, 0, 0],
        "err(access-denied)"
    );
    p2::udp_create_socket_create_udp_socket(&mut g.ctx, &mut g.mem, &mut bump, 1, ret).unwrap();
    assert_eq!(g.bytes_at(ret, 5), [1, 0, 0, 0, 1]);
    assert_eq!(
        p2::tcp_create_socket_create_tcp_socket(&mut g.ctx, &mut g.mem, &mut bump, 2, ret),
        Err(trap("invalid enum discriminant for `ip-address-family`: 2"))
    );
    let (name, len) = g.put(b"example.com");
    p2::ip_name_lookup_resolve_addresses(
        &mut g.ctx, &mut g.mem, &mut bump, network, name, len, ret,
    )
    .unwrap();
    assert_eq!(g.bytes_at(ret, 5), [1, 0, 0, 0, 1]);
    // A socket handle can only be a guess: it names nothing.
    assert_eq!(
        p2::tcp_tcp_socket_start_listen(&mut g.ctx, &mut g.mem, &mut bump, network, ret),
        Err(trap(&format!("unknown handle index {network}")))
    );
    assert_eq!(
        p2::outgoing_handler_handle(&mut g.ctx, &mut g.mem, &mut bump, 5, 0, 0, ret),
        Err(trap("unknown handle index 5"))
    );
    p2::network_drop_network(&mut g.ctx, &mut g.mem, &mut bump, network).unwrap();
    assert_eq!(
        p2::ip_name_lookup_resolve_addresses(
            &mut g.ctx, &mut g.mem, &mut bump, network, name, len, ret
        ),
        Err(trap(&format!("unknown handle index {network}")))
    );
}

#[test]
fn every_socket_function_has_its_lowered_signature() {
    use cove_core::p2::signature::check_import;
    const I32: u8 = 0x7f;
    const I64: u8 = 0x7e;
    // (this, network, ip-socket-address as 12 flat values, retptr)
    assert_eq!(
        check_import(
            "wasi:sockets/tcp@0.2.0",
            "[method]tcp-socket.start-connect",
            Some(&[I32; 15]),
            Some(&[])
        ),
        Ok(())
    );
    assert_eq!(
        check_import(
            "wasi:sockets/udp@0.2.3",
            "[method]udp-socket.stream",
            Some(&[I32; 15]),
            Some(&[])
        ),
        Ok(())
    );
    assert_eq!(
        check_import(
            "wasi:sockets/tcp@0.2.0",
            "[method]tcp-socket.set-keep-alive-idle-time",
            Some(&[I32, I64, I32]),
            Some(&[])
        ),
        Ok(())
    );
    assert_eq!(
        check_import(
            "wasi:sockets/tcp@0.2.0",
            "[method]tcp-socket.is-listening",
            Some(&[I32]),
            Some(&[I32])
        ),
        Ok(())
    );
    assert_eq!(
        check_import(
            "wasi:sockets/instance-network@0.2.0",
            "instance-network",
            Some(&[]),
            Some(&[I32])
        ),
        Ok(())
    );
    assert_eq!(
        check_import(
            "wasi:sockets/udp@0.2.0",
            "[resource-drop]outgoing-datagram-stream",
            Some(&[I32]),
            Some(&[])
        ),
        Ok(())
    );
    assert_eq!(
        check_import(
            "wasi:http/outgoing-handler@0.2.0",
            "handle",
            Some(&[I32; 4]),
            Some(&[])
        ),
        Ok(())
    );
}
