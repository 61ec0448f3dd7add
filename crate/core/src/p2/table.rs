//! The one table of WASI preview 2: every function a component may import, as
//! `"interface" "name" fn rust_name(flat params) -> flat result = implementation;`, the interface
//! without its version and the name as the component import spells it. Parameters are the
//! canonical ABI's flat core parameters (i32 as u32, i64 as u64), with a trailing `retptr` when
//! the results do not fit one flat value; `=> Kind` is how a trace shows each (p2/trace.rs).
//! Everything per-function is generated from it (docs/engine-abi.md, "Preview 2"): the core's
//! dispatch, `NAMES`, `SIGNATURES` (the import check) and crate/wasm's `p2:<interface>#<name>`
//! exports. Resource drops are entries like any other.

/// Calls the macro `$m` with the p2 table. The implementation paths are relative to cove-core's
/// `p2` module; other crates ignore them.
#[macro_export]
macro_rules! p2_functions {
    ($m:ident) => {
        $m! {
            "wasi:cli/environment" "get-environment"
            fn environment_get_environment(retptr: u32 => List) = cli::get_environment;
            "wasi:cli/environment" "get-arguments"
            fn environment_get_arguments(retptr: u32 => List) = cli::get_arguments;
            "wasi:cli/environment" "initial-cwd"
            fn environment_initial_cwd(retptr: u32 => Ret) = cli::initial_cwd;
            /// `status` is the `result` discriminant: 0 ok (code 0), 1 err (code 1).
            "wasi:cli/exit" "exit"
            fn exit_exit(status: u32 => Num) = cli::exit;
            "wasi:cli/exit" "exit-with-code"
            fn exit_exit_with_code(status_code: u32 => Num) = cli::exit_with_code;
            "wasi:cli/stdin" "get-stdin"
            fn stdin_get_stdin() -> u32 = cli::get_stdin;
            "wasi:cli/stdout" "get-stdout"
            fn stdout_get_stdout() -> u32 = cli::get_stdout;
            "wasi:cli/stderr" "get-stderr"
            fn stderr_get_stderr() -> u32 = cli::get_stderr;
            "wasi:cli/terminal-input" "[resource-drop]terminal-input"
            fn terminal_input_drop(handle: u32 => Handle) = cli::drop_terminal_input;
            "wasi:cli/terminal-output" "[resource-drop]terminal-output"
            fn terminal_output_drop(handle: u32 => Handle) = cli::drop_terminal_output;
            "wasi:cli/terminal-stdin" "get-terminal-stdin"
            fn terminal_stdin_get(retptr: u32 => Ret) = cli::get_terminal_stdin;
            "wasi:cli/terminal-stdout" "get-terminal-stdout"
            fn terminal_stdout_get(retptr: u32 => Ret) = cli::get_terminal_stdout;
            "wasi:cli/terminal-stderr" "get-terminal-stderr"
            fn terminal_stderr_get(retptr: u32 => Ret) = cli::get_terminal_stderr;

            "wasi:clocks/monotonic-clock" "now"
            fn monotonic_clock_now() -> u64 = clocks::monotonic_now;
            "wasi:clocks/monotonic-clock" "resolution"
            fn monotonic_clock_resolution() -> u64 = clocks::monotonic_resolution;
            "wasi:clocks/monotonic-clock" "subscribe-instant"
            fn monotonic_clock_subscribe_instant(when: u64 => Num) -> u32 = clocks::subscribe_instant;
            "wasi:clocks/monotonic-clock" "subscribe-duration"
            fn monotonic_clock_subscribe_duration(when: u64 => Num) -> u32 = clocks::subscribe_duration;
            "wasi:clocks/wall-clock" "now"
            fn wall_clock_now(retptr: u32 => Ret) = clocks::wall_now;
            "wasi:clocks/wall-clock" "resolution"
            fn wall_clock_resolution(retptr: u32 => Ret) = clocks::wall_resolution;

            "wasi:random/random" "get-random-bytes"
            fn random_get_random_bytes(len: u64 => Num, retptr: u32 => Ret) = random::get_random_bytes;
            "wasi:random/random" "get-random-u64"
            fn random_get_random_u64() -> u64 = random::get_random_u64;
            "wasi:random/insecure" "get-insecure-random-bytes"
            fn insecure_get_insecure_random_bytes(len: u64 => Num, retptr: u32 => Ret) = random::get_insecure_random_bytes;
            "wasi:random/insecure" "get-insecure-random-u64"
            fn insecure_get_insecure_random_u64() -> u64 = random::get_insecure_random_u64;
            "wasi:random/insecure-seed" "insecure-seed"
            fn insecure_seed_insecure_seed(retptr: u32 => Ret) = random::insecure_seed;

            "wasi:io/error" "[method]error.to-debug-string"
            fn error_to_debug_string(this: u32 => Handle, retptr: u32 => FsString) = streams::to_debug_string;
            "wasi:io/error" "[resource-drop]error"
            fn error_drop(handle: u32 => Handle) = streams::drop_error;

            "wasi:io/poll" "[method]pollable.ready"
            fn pollable_ready(this: u32 => Handle) -> u32 = poll::ready;
            "wasi:io/poll" "[method]pollable.block"
            fn pollable_block(this: u32 => Handle) = poll::block;
            "wasi:io/poll" "poll"
            fn poll_poll(pollables: u32 => Num, count: u32 => Num, retptr: u32 => List) = poll::poll;
            "wasi:io/poll" "[resource-drop]pollable"
            fn pollable_drop(handle: u32 => Handle) = poll::drop_pollable;

            "wasi:io/streams" "[method]input-stream.read"
            fn input_stream_read(this: u32 => Handle, len: u64 => Num, retptr: u32 => StreamList) = streams::read;
            "wasi:io/streams" "[method]input-stream.blocking-read"
            fn input_stream_blocking_read(this: u32 => Handle, len: u64 => Num, retptr: u32 => StreamList) = streams::blocking_read;
            "wasi:io/streams" "[method]input-stream.skip"
            fn input_stream_skip(this: u32 => Handle, len: u64 => Num, retptr: u32 => StreamU64) = streams::skip;
            "wasi:io/streams" "[method]input-stream.blocking-skip"
            fn input_stream_blocking_skip(this: u32 => Handle, len: u64 => Num, retptr: u32 => StreamU64) = streams::blocking_skip;
            "wasi:io/streams" "[method]input-stream.subscribe"
            fn input_stream_subscribe(this: u32 => Handle) -> u32 = streams::input_subscribe;
            "wasi:io/streams" "[resource-drop]input-stream"
            fn input_stream_drop(handle: u32 => Handle) = streams::drop_input;
            "wasi:io/streams" "[method]output-stream.check-write"
            fn output_stream_check_write(this: u32 => Handle, retptr: u32 => StreamU64) = streams::check_write;
            "wasi:io/streams" "[method]output-stream.write"
            fn output_stream_write(this: u32 => Handle, contents: u32 => Bytes, len: u32 => Len, retptr: u32 => StreamUnit) = streams::write_list;
            "wasi:io/streams" "[method]output-stream.blocking-write-and-flush"
            fn output_stream_blocking_write_and_flush(this: u32 => Handle, contents: u32 => Bytes, len: u32 => Len, retptr: u32 => StreamUnit) = streams::blocking_write_and_flush;
            "wasi:io/streams" "[method]output-stream.flush"
            fn output_stream_flush(this: u32 => Handle, retptr: u32 => StreamUnit) = streams::flush;
            "wasi:io/streams" "[method]output-stream.blocking-flush"
            fn output_stream_blocking_flush(this: u32 => Handle, retptr: u32 => StreamUnit) = streams::flush;
            "wasi:io/streams" "[method]output-stream.subscribe"
            fn output_stream_subscribe(this: u32 => Handle) -> u32 = streams::output_subscribe;
            "wasi:io/streams" "[method]output-stream.write-zeroes"
            fn output_stream_write_zeroes(this: u32 => Handle, len: u64 => Num, retptr: u32 => StreamUnit) = streams::write_zeroes;
            "wasi:io/streams" "[method]output-stream.blocking-write-zeroes-and-flush"
            fn output_stream_blocking_write_zeroes_and_flush(this: u32 => Handle, len: u64 => Num, retptr: u32 => StreamUnit) = streams::blocking_write_zeroes_and_flush;
            "wasi:io/streams" "[method]output-stream.splice"
            fn output_stream_splice(this: u32 => Handle, src: u32 => Handle, len: u64 => Num, retptr: u32 => StreamU64) = streams::splice;
            "wasi:io/streams" "[method]output-stream.blocking-splice"
            fn output_stream_blocking_splice(this: u32 => Handle, src: u32 => Handle, len: u64 => Num, retptr: u32 => StreamU64) = streams::blocking_splice;
            "wasi:io/streams" "[resource-drop]output-stream"
            fn output_stream_drop(handle: u32 => Handle) = streams::drop_output;

            "wasi:filesystem/types" "[method]descriptor.read-via-stream"
            fn descriptor_read_via_stream(this: u32 => Handle, offset: u64 => Num, retptr: u32 => FsHandle) = filesystem::read_via_stream;
            "wasi:filesystem/types" "[method]descriptor.write-via-stream"
            fn descriptor_write_via_stream(this: u32 => Handle, offset: u64 => Num, retptr: u32 => FsHandle) = filesystem::write_via_stream;
            "wasi:filesystem/types" "[method]descriptor.append-via-stream"
            fn descriptor_append_via_stream(this: u32 => Handle, retptr: u32 => FsHandle) = filesystem::append_via_stream;
            "wasi:filesystem/types" "[method]descriptor.advise"
            fn descriptor_advise(this: u32 => Handle, offset: u64 => Num, length: u64 => Num, advice: u32 => Advice, retptr: u32 => FsUnit) = filesystem::advise;
            "wasi:filesystem/types" "[method]descriptor.sync-data"
            fn descriptor_sync_data(this: u32 => Handle, retptr: u32 => FsUnit) = filesystem::sync;
            "wasi:filesystem/types" "[method]descriptor.get-flags"
            fn descriptor_get_flags(this: u32 => Handle, retptr: u32 => FsByte) = filesystem::get_flags;
            "wasi:filesystem/types" "[method]descriptor.get-type"
            fn descriptor_get_type(this: u32 => Handle, retptr: u32 => FsByte) = filesystem::get_type;
            "wasi:filesystem/types" "[method]descriptor.set-size"
            fn descriptor_set_size(this: u32 => Handle, size: u64 => Num, retptr: u32 => FsUnit) = filesystem::set_size;
            "wasi:filesystem/types" "[method]descriptor.set-times"
            fn descriptor_set_times(this: u32 => Handle, atim: u32 => Timestamp, atim_s: u64 => Num, atim_ns: u32 => Num, mtim: u32 => Timestamp, mtim_s: u64 => Num, mtim_ns: u32 => Num, retptr: u32 => FsUnit) = filesystem::set_times;
            "wasi:filesystem/types" "[method]descriptor.read"
            fn descriptor_read(this: u32 => Handle, length: u64 => Num, offset: u64 => Num, retptr: u32 => FsRead) = filesystem::read;
            "wasi:filesystem/types" "[method]descriptor.write"
            fn descriptor_write(this: u32 => Handle, buffer: u32 => Bytes, len: u32 => Len, offset: u64 => Num, retptr: u32 => FsU64) = filesystem::write_at;
            "wasi:filesystem/types" "[method]descriptor.read-directory"
            fn descriptor_read_directory(this: u32 => Handle, retptr: u32 => FsHandle) = filesystem::read_directory;
            "wasi:filesystem/types" "[method]descriptor.sync"
            fn descriptor_sync(this: u32 => Handle, retptr: u32 => FsUnit) = filesystem::sync;
            "wasi:filesystem/types" "[method]descriptor.create-directory-at"
            fn descriptor_create_directory_at(this: u32 => Handle, path: u32 => Str, len: u32 => Len, retptr: u32 => FsUnit) = filesystem::create_directory_at;
            "wasi:filesystem/types" "[method]descriptor.stat"
            fn descriptor_stat(this: u32 => Handle, retptr: u32 => FsStat) = filesystem::stat;
            "wasi:filesystem/types" "[method]descriptor.stat-at"
            fn descriptor_stat_at(this: u32 => Handle, path_flags: u32 => PathFlags, path: u32 => Str, len: u32 => Len, retptr: u32 => FsStat) = filesystem::stat_at;
            "wasi:filesystem/types" "[method]descriptor.set-times-at"
            fn descriptor_set_times_at(this: u32 => Handle, path_flags: u32 => PathFlags, path: u32 => Str, len: u32 => Len, atim: u32 => Timestamp, atim_s: u64 => Num, atim_ns: u32 => Num, mtim: u32 => Timestamp, mtim_s: u64 => Num, mtim_ns: u32 => Num, retptr: u32 => FsUnit) = filesystem::set_times_at;
            "wasi:filesystem/types" "[method]descriptor.link-at"
            fn descriptor_link_at(this: u32 => Handle, old_path_flags: u32 => PathFlags, old_path: u32 => Str, old_len: u32 => Len, new_descriptor: u32 => Handle, new_path: u32 => Str, new_len: u32 => Len, retptr: u32 => FsUnit) = filesystem::link_at;
            "wasi:filesystem/types" "[method]descriptor.open-at"
            fn descriptor_open_at(this: u32 => Handle, path_flags: u32 => PathFlags, path: u32 => Str, len: u32 => Len, open_flags: u32 => OpenFlags, flags: u32 => DescriptorFlags, retptr: u32 => FsHandle) = filesystem::open_at;
            "wasi:filesystem/types" "[method]descriptor.readlink-at"
            fn descriptor_readlink_at(this: u32 => Handle, path: u32 => Str, len: u32 => Len, retptr: u32 => FsString) = filesystem::readlink_at;
            "wasi:filesystem/types" "[method]descriptor.remove-directory-at"
            fn descriptor_remove_directory_at(this: u32 => Handle, path: u32 => Str, len: u32 => Len, retptr: u32 => FsUnit) = filesystem::remove_directory_at;
            "wasi:filesystem/types" "[method]descriptor.rename-at"
            fn descriptor_rename_at(this: u32 => Handle, old_path: u32 => Str, old_len: u32 => Len, new_descriptor: u32 => Handle, new_path: u32 => Str, new_len: u32 => Len, retptr: u32 => FsUnit) = filesystem::rename_at;
            "wasi:filesystem/types" "[method]descriptor.symlink-at"
            fn descriptor_symlink_at(this: u32 => Handle, old_path: u32 => Str, old_len: u32 => Len, new_path: u32 => Str, new_len: u32 => Len, retptr: u32 => FsUnit) = filesystem::symlink_at;
            "wasi:filesystem/types" "[method]descriptor.unlink-file-at"
            fn descriptor_unlink_file_at(this: u32 => Handle, path: u32 => Str, len: u32 => Len, retptr: u32 => FsUnit) = filesystem::unlink_file_at;
            "wasi:filesystem/types" "[method]descriptor.is-same-object"
            fn descriptor_is_same_object(this: u32 => Handle, other: u32 => Handle) -> u32 = filesystem::is_same_object;
            "wasi:filesystem/types" "[method]descriptor.metadata-hash"
            fn descriptor_metadata_hash(this: u32 => Handle, retptr: u32 => FsHash) = filesystem::metadata_hash;
            "wasi:filesystem/types" "[method]descriptor.metadata-hash-at"
            fn descriptor_metadata_hash_at(this: u32 => Handle, path_flags: u32 => PathFlags, path: u32 => Str, len: u32 => Len, retptr: u32 => FsHash) = filesystem::metadata_hash_at;
            "wasi:filesystem/types" "[resource-drop]descriptor"
            fn descriptor_drop(handle: u32 => Handle) = filesystem::drop_descriptor;
            "wasi:filesystem/types" "[method]directory-entry-stream.read-directory-entry"
            fn directory_entry_stream_read_directory_entry(this: u32 => Handle, retptr: u32 => FsEntry) = filesystem::read_directory_entry;
            "wasi:filesystem/types" "[resource-drop]directory-entry-stream"
            fn directory_entry_stream_drop(handle: u32 => Handle) = filesystem::drop_dir_entries;
            "wasi:filesystem/types" "filesystem-error-code"
            fn types_filesystem_error_code(err: u32 => Handle, retptr: u32 => FsCode) = filesystem::filesystem_error_code;
            "wasi:filesystem/preopens" "get-directories"
            fn preopens_get_directories(retptr: u32 => List) = filesystem::get_directories;

            "wasi:sockets/network" "network-error-code"
            fn network_network_error_code(err: u32 => Handle, retptr: u32 => Ret) = network::network_error_code;
            "wasi:sockets/instance-network" "instance-network"
            fn instance_network_instance_network() -> u32 = network::instance_network;
            "wasi:sockets/ip-name-lookup" "[method]resolve-address-stream.resolve-next-address"
            fn ip_name_lookup_resolve_address_stream_resolve_next_address(this: u32 => Handle, retptr: u32 => Ret) = network::ip_name_lookup_resolve_address_stream_resolve_next_address;
            "wasi:sockets/ip-name-lookup" "[method]resolve-address-stream.subscribe"
            fn ip_name_lookup_resolve_address_stream_subscribe(this: u32 => Handle) -> u32 = network::ip_name_lookup_resolve_address_stream_subscribe;
            "wasi:sockets/ip-name-lookup" "resolve-addresses"
            fn ip_name_lookup_resolve_addresses(network: u32 => Handle, name_0: u32 => Str, name_1: u32 => Len, retptr: u32 => Ret) = network::resolve_addresses;
            "wasi:sockets/tcp" "[method]tcp-socket.start-bind"
            fn tcp_tcp_socket_start_bind(this: u32 => Handle, network: u32 => Handle, local_address_0: u32 => Num, local_address_1: u32 => Num, local_address_2: u32 => Num, local_address_3: u32 => Num, local_address_4: u32 => Num, local_address_5: u32 => Num, local_address_6: u32 => Num, local_address_7: u32 => Num, local_address_8: u32 => Num, local_address_9: u32 => Num, local_address_10: u32 => Num, local_address_11: u32 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_start_bind;
            "wasi:sockets/tcp" "[method]tcp-socket.finish-bind"
            fn tcp_tcp_socket_finish_bind(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_finish_bind;
            "wasi:sockets/tcp" "[method]tcp-socket.start-connect"
            fn tcp_tcp_socket_start_connect(this: u32 => Handle, network: u32 => Handle, remote_address_0: u32 => Num, remote_address_1: u32 => Num, remote_address_2: u32 => Num, remote_address_3: u32 => Num, remote_address_4: u32 => Num, remote_address_5: u32 => Num, remote_address_6: u32 => Num, remote_address_7: u32 => Num, remote_address_8: u32 => Num, remote_address_9: u32 => Num, remote_address_10: u32 => Num, remote_address_11: u32 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_start_connect;
            "wasi:sockets/tcp" "[method]tcp-socket.finish-connect"
            fn tcp_tcp_socket_finish_connect(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_finish_connect;
            "wasi:sockets/tcp" "[method]tcp-socket.start-listen"
            fn tcp_tcp_socket_start_listen(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_start_listen;
            "wasi:sockets/tcp" "[method]tcp-socket.finish-listen"
            fn tcp_tcp_socket_finish_listen(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_finish_listen;
            "wasi:sockets/tcp" "[method]tcp-socket.accept"
            fn tcp_tcp_socket_accept(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_accept;
            "wasi:sockets/tcp" "[method]tcp-socket.local-address"
            fn tcp_tcp_socket_local_address(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_local_address;
            "wasi:sockets/tcp" "[method]tcp-socket.remote-address"
            fn tcp_tcp_socket_remote_address(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_remote_address;
            "wasi:sockets/tcp" "[method]tcp-socket.is-listening"
            fn tcp_tcp_socket_is_listening(this: u32 => Handle) -> u32 = network::tcp_tcp_socket_is_listening;
            "wasi:sockets/tcp" "[method]tcp-socket.address-family"
            fn tcp_tcp_socket_address_family(this: u32 => Handle) -> u32 = network::tcp_tcp_socket_address_family;
            "wasi:sockets/tcp" "[method]tcp-socket.set-listen-backlog-size"
            fn tcp_tcp_socket_set_listen_backlog_size(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_listen_backlog_size;
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-enabled"
            fn tcp_tcp_socket_keep_alive_enabled(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_keep_alive_enabled;
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-enabled"
            fn tcp_tcp_socket_set_keep_alive_enabled(this: u32 => Handle, value: u32 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_keep_alive_enabled;
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-idle-time"
            fn tcp_tcp_socket_keep_alive_idle_time(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_keep_alive_idle_time;
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-idle-time"
            fn tcp_tcp_socket_set_keep_alive_idle_time(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_keep_alive_idle_time;
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-interval"
            fn tcp_tcp_socket_keep_alive_interval(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_keep_alive_interval;
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-interval"
            fn tcp_tcp_socket_set_keep_alive_interval(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_keep_alive_interval;
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-count"
            fn tcp_tcp_socket_keep_alive_count(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_keep_alive_count;
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-count"
            fn tcp_tcp_socket_set_keep_alive_count(this: u32 => Handle, value: u32 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_keep_alive_count;
            "wasi:sockets/tcp" "[method]tcp-socket.hop-limit"
            fn tcp_tcp_socket_hop_limit(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_hop_limit;
            "wasi:sockets/tcp" "[method]tcp-socket.set-hop-limit"
            fn tcp_tcp_socket_set_hop_limit(this: u32 => Handle, value: u32 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_hop_limit;
            "wasi:sockets/tcp" "[method]tcp-socket.receive-buffer-size"
            fn tcp_tcp_socket_receive_buffer_size(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_receive_buffer_size;
            "wasi:sockets/tcp" "[method]tcp-socket.set-receive-buffer-size"
            fn tcp_tcp_socket_set_receive_buffer_size(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_receive_buffer_size;
            "wasi:sockets/tcp" "[method]tcp-socket.send-buffer-size"
            fn tcp_tcp_socket_send_buffer_size(this: u32 => Handle, retptr: u32 => Ret) = network::tcp_tcp_socket_send_buffer_size;
            "wasi:sockets/tcp" "[method]tcp-socket.set-send-buffer-size"
            fn tcp_tcp_socket_set_send_buffer_size(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_set_send_buffer_size;
            "wasi:sockets/tcp" "[method]tcp-socket.subscribe"
            fn tcp_tcp_socket_subscribe(this: u32 => Handle) -> u32 = network::tcp_tcp_socket_subscribe;
            "wasi:sockets/tcp" "[method]tcp-socket.shutdown"
            fn tcp_tcp_socket_shutdown(this: u32 => Handle, shutdown_type: u32 => Num, retptr: u32 => Ret) = network::tcp_tcp_socket_shutdown;
            "wasi:sockets/tcp-create-socket" "create-tcp-socket"
            fn tcp_create_socket_create_tcp_socket(address_family: u32 => Num, retptr: u32 => Ret) = network::create_socket;
            "wasi:sockets/udp" "[method]udp-socket.start-bind"
            fn udp_udp_socket_start_bind(this: u32 => Handle, network: u32 => Handle, local_address_0: u32 => Num, local_address_1: u32 => Num, local_address_2: u32 => Num, local_address_3: u32 => Num, local_address_4: u32 => Num, local_address_5: u32 => Num, local_address_6: u32 => Num, local_address_7: u32 => Num, local_address_8: u32 => Num, local_address_9: u32 => Num, local_address_10: u32 => Num, local_address_11: u32 => Num, retptr: u32 => Ret) = network::udp_udp_socket_start_bind;
            "wasi:sockets/udp" "[method]udp-socket.finish-bind"
            fn udp_udp_socket_finish_bind(this: u32 => Handle, retptr: u32 => Ret) = network::udp_udp_socket_finish_bind;
            "wasi:sockets/udp" "[method]udp-socket.stream"
            fn udp_udp_socket_stream(this: u32 => Handle, remote_address_0: u32 => Num, remote_address_1: u32 => Num, remote_address_2: u32 => Num, remote_address_3: u32 => Num, remote_address_4: u32 => Num, remote_address_5: u32 => Num, remote_address_6: u32 => Num, remote_address_7: u32 => Num, remote_address_8: u32 => Num, remote_address_9: u32 => Num, remote_address_10: u32 => Num, remote_address_11: u32 => Num, remote_address_12: u32 => Num, retptr: u32 => Ret) = network::udp_udp_socket_stream;
            "wasi:sockets/udp" "[method]udp-socket.local-address"
            fn udp_udp_socket_local_address(this: u32 => Handle, retptr: u32 => Ret) = network::udp_udp_socket_local_address;
            "wasi:sockets/udp" "[method]udp-socket.remote-address"
            fn udp_udp_socket_remote_address(this: u32 => Handle, retptr: u32 => Ret) = network::udp_udp_socket_remote_address;
            "wasi:sockets/udp" "[method]udp-socket.address-family"
            fn udp_udp_socket_address_family(this: u32 => Handle) -> u32 = network::udp_udp_socket_address_family;
            "wasi:sockets/udp" "[method]udp-socket.unicast-hop-limit"
            fn udp_udp_socket_unicast_hop_limit(this: u32 => Handle, retptr: u32 => Ret) = network::udp_udp_socket_unicast_hop_limit;
            "wasi:sockets/udp" "[method]udp-socket.set-unicast-hop-limit"
            fn udp_udp_socket_set_unicast_hop_limit(this: u32 => Handle, value: u32 => Num, retptr: u32 => Ret) = network::udp_udp_socket_set_unicast_hop_limit;
            "wasi:sockets/udp" "[method]udp-socket.receive-buffer-size"
            fn udp_udp_socket_receive_buffer_size(this: u32 => Handle, retptr: u32 => Ret) = network::udp_udp_socket_receive_buffer_size;
            "wasi:sockets/udp" "[method]udp-socket.set-receive-buffer-size"
            fn udp_udp_socket_set_receive_buffer_size(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::udp_udp_socket_set_receive_buffer_size;
            "wasi:sockets/udp" "[method]udp-socket.send-buffer-size"
            fn udp_udp_socket_send_buffer_size(this: u32 => Handle, retptr: u32 => Ret) = network::udp_udp_socket_send_buffer_size;
            "wasi:sockets/udp" "[method]udp-socket.set-send-buffer-size"
            fn udp_udp_socket_set_send_buffer_size(this: u32 => Handle, value: u64 => Num, retptr: u32 => Ret) = network::udp_udp_socket_set_send_buffer_size;
            "wasi:sockets/udp" "[method]udp-socket.subscribe"
            fn udp_udp_socket_subscribe(this: u32 => Handle) -> u32 = network::udp_udp_socket_subscribe;
            "wasi:sockets/udp" "[method]incoming-datagram-stream.receive"
            fn udp_incoming_datagram_stream_receive(this: u32 => Handle, max_results: u64 => Num, retptr: u32 => Ret) = network::udp_incoming_datagram_stream_receive;
            "wasi:sockets/udp" "[method]incoming-datagram-stream.subscribe"
            fn udp_incoming_datagram_stream_subscribe(this: u32 => Handle) -> u32 = network::udp_incoming_datagram_stream_subscribe;
            "wasi:sockets/udp" "[method]outgoing-datagram-stream.check-send"
            fn udp_outgoing_datagram_stream_check_send(this: u32 => Handle, retptr: u32 => Ret) = network::udp_outgoing_datagram_stream_check_send;
            "wasi:sockets/udp" "[method]outgoing-datagram-stream.send"
            fn udp_outgoing_datagram_stream_send(this: u32 => Handle, datagrams_0: u32 => Num, datagrams_1: u32 => Num, retptr: u32 => Ret) = network::udp_outgoing_datagram_stream_send;
            "wasi:sockets/udp" "[method]outgoing-datagram-stream.subscribe"
            fn udp_outgoing_datagram_stream_subscribe(this: u32 => Handle) -> u32 = network::udp_outgoing_datagram_stream_subscribe;
            "wasi:sockets/udp-create-socket" "create-udp-socket"
            fn udp_create_socket_create_udp_socket(address_family: u32 => Num, retptr: u32 => Ret) = network::create_socket;
            "wasi:sockets/network" "[resource-drop]network"
            fn network_drop_network(handle: u32 => Handle) = network::drop_network;
            "wasi:sockets/ip-name-lookup" "[resource-drop]resolve-address-stream"
            fn ip_name_lookup_drop_resolve_address_stream(handle: u32 => Handle) = network::ip_name_lookup_drop_resolve_address_stream;
            "wasi:sockets/tcp" "[resource-drop]tcp-socket"
            fn tcp_drop_tcp_socket(handle: u32 => Handle) = network::tcp_drop_tcp_socket;
            "wasi:sockets/udp" "[resource-drop]udp-socket"
            fn udp_drop_udp_socket(handle: u32 => Handle) = network::udp_drop_udp_socket;
            "wasi:sockets/udp" "[resource-drop]incoming-datagram-stream"
            fn udp_drop_incoming_datagram_stream(handle: u32 => Handle) = network::udp_drop_incoming_datagram_stream;
            "wasi:sockets/udp" "[resource-drop]outgoing-datagram-stream"
            fn udp_drop_outgoing_datagram_stream(handle: u32 => Handle) = network::udp_drop_outgoing_datagram_stream;

            "wasi:http/outgoing-handler" "handle"
            fn outgoing_handler_handle(request: u32 => Handle, options: u32 => Num, options_handle: u32 => Handle, retptr: u32 => Ret) = network::outgoing_handler_handle;
        }
    };
}
