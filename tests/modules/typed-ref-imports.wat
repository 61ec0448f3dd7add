;; A core module whose table and global imports have typed-reference types (the function
;; references and GC proposals: 0x63 `(ref null ht)` / 0x64 `(ref ht)` followed by a heap type),
;; with a function import after them, so a reader that takes a reference type for one byte loses
;; its place. Node 20 cannot compile it; the readers that run before compiling must still follow it.
;; Built with: wasm-tools parse typed-ref-imports.wat -o typed-ref-imports.wasm
(module
  (type $ft (func (param i32) (result i32)))
  (import "env" "funcs" (table 1 (ref null func)))
  (import "env" "typed" (table 2 10 (ref null $ft)))
  (import "env" "externs" (table 1 (ref extern)))
  (import "env" "global" (global (ref null $ft)))
  (import "env" "after" (func (type $ft)))
  (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
