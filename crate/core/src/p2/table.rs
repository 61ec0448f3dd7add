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
            fn environment_get_environment(retptr: u32 => Ret) = cli::get_environment;
            "wasi:cli/environment" "get-arguments"
            fn environment_get_arguments(retptr: u32 => Ret) = cli::get_arguments;
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
            fn error_to_debug_string(this: u32 => Handle, retptr: u32 => Ret) = streams::to_debug_string;
            "wasi:io/error" "[resource-drop]error"
            fn error_drop(handle: u32 => Handle) = streams::drop_error;

            "wasi:io/poll" "[method]pollable.ready"
            fn pollable_ready(this: u32 => Handle) -> u32 = poll::ready;
            "wasi:io/poll" "[method]pollable.block"
            fn pollable_block(this: u32 => Handle) = poll::block;
            "wasi:io/poll" "poll"
            fn poll_poll(pollables: u32 => Num, count: u32 => Num, retptr: u32 => Ret) = poll::poll;
            "wasi:io/poll" "[resource-drop]pollable"
            fn pollable_drop(handle: u32 => Handle) = poll::drop_pollable;

            "wasi:io/streams" "[method]input-stream.read"
            fn input_stream_read(this: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::read;
            "wasi:io/streams" "[method]input-stream.blocking-read"
            fn input_stream_blocking_read(this: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::blocking_read;
            "wasi:io/streams" "[method]input-stream.skip"
            fn input_stream_skip(this: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::skip;
            "wasi:io/streams" "[method]input-stream.blocking-skip"
            fn input_stream_blocking_skip(this: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::blocking_skip;
            "wasi:io/streams" "[method]input-stream.subscribe"
            fn input_stream_subscribe(this: u32 => Handle) -> u32 = streams::input_subscribe;
            "wasi:io/streams" "[resource-drop]input-stream"
            fn input_stream_drop(handle: u32 => Handle) = streams::drop_input;
            "wasi:io/streams" "[method]output-stream.check-write"
            fn output_stream_check_write(this: u32 => Handle, retptr: u32 => Ret) = streams::check_write;
            "wasi:io/streams" "[method]output-stream.write"
            fn output_stream_write(this: u32 => Handle, contents: u32 => Bytes, len: u32 => Len, retptr: u32 => Ret) = streams::write_list;
            "wasi:io/streams" "[method]output-stream.blocking-write-and-flush"
            fn output_stream_blocking_write_and_flush(this: u32 => Handle, contents: u32 => Bytes, len: u32 => Len, retptr: u32 => Ret) = streams::blocking_write_and_flush;
            "wasi:io/streams" "[method]output-stream.flush"
            fn output_stream_flush(this: u32 => Handle, retptr: u32 => Ret) = streams::flush;
            "wasi:io/streams" "[method]output-stream.blocking-flush"
            fn output_stream_blocking_flush(this: u32 => Handle, retptr: u32 => Ret) = streams::flush;
            "wasi:io/streams" "[method]output-stream.subscribe"
            fn output_stream_subscribe(this: u32 => Handle) -> u32 = streams::output_subscribe;
            "wasi:io/streams" "[method]output-stream.write-zeroes"
            fn output_stream_write_zeroes(this: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::write_zeroes;
            "wasi:io/streams" "[method]output-stream.blocking-write-zeroes-and-flush"
            fn output_stream_blocking_write_zeroes_and_flush(this: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::blocking_write_zeroes_and_flush;
            "wasi:io/streams" "[method]output-stream.splice"
            fn output_stream_splice(this: u32 => Handle, src: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::splice;
            "wasi:io/streams" "[method]output-stream.blocking-splice"
            fn output_stream_blocking_splice(this: u32 => Handle, src: u32 => Handle, len: u64 => Num, retptr: u32 => Ret) = streams::blocking_splice;
            "wasi:io/streams" "[resource-drop]output-stream"
            fn output_stream_drop(handle: u32 => Handle) = streams::drop_output;
        }
    };
}
