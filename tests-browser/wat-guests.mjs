// Tiny hand-written modules for the browser tests (assembled with binaryen, as tests/ does).
import { wat } from "../tests/api-helpers.mjs";

/** A 64-byte line, the printer's unit of output. */
export const LINE = "cove prints this line again and again, as fast as it can go ...\n";

/**
 * A command that writes LINE to `fd` `count` times (count 0: "forever", 2^32 times) and exits 0.
 * Each line is one fd_write: stdout reaches the host in the engine's 16 KiB batches.
 */
export function printer(count, fd = 1) {
  const bytes = [...new TextEncoder().encode(LINE)].map((b) => "\\" + b.toString(16).padStart(2, "0")).join("");
  if (LINE.length !== 64) throw new Error("the iovec below says 64 bytes");
  return wat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 8) "\\10\\00\\00\\00\\40\\00\\00\\00")
    (data (i32.const 16) "${bytes}")
    (func (export "_start") (local $n i32)
      (local.set $n (i32.const ${count | 0}))
      (loop $again
        (drop (call $fd_write (i32.const ${fd}) (i32.const 8) (i32.const 1) (i32.const 4)))
        (br_if $again (i32.ne (local.tee $n (i32.sub (local.get $n) (i32.const 1))) (i32.const 0))))))`);
}

/**
 * A WASI command that also imports `env.js_eval` and `env.js_log`, functions WASI does not
 * define. It prints a line, then calls env.js_log only when given an argument (argc > 1).
 */
export function foreignImports() {
  const text = "ran without calling env.js_log\n";
  const bytes = [...new TextEncoder().encode(text)].map((b) => "\\" + b.toString(16).padStart(2, "0")).join("");
  return wat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
    (import "env" "js_eval" (func $js_eval (param i32) (result i32)))
    (import "env" "js_log" (func $js_log (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 8) "\\10\\00\\00\\00\\${text.length.toString(16).padStart(2, "0")}\\00\\00\\00")
    (data (i32.const 16) "${bytes}")
    (func (export "_start")
      (drop (call $args_sizes_get (i32.const 200) (i32.const 204)))
      (if (i32.gt_u (i32.load (i32.const 200)) (i32.const 1))
        (then (call $js_log (i32.const 1))))
      (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 4)))))`);
}

