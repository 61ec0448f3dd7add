;; A component whose strings are UTF-16 (string-encoding=utf16).
;; Built by scripts/build.mjs (jco's wasm-tools `parse`) into build/components/; used by
;; tests/component-guests/cases.mjs. Exports: echo (returns the string it was given, in place),
;; relay (passes it to the imported host-echo and returns its answer), units (the length word the
;; guest received: code units, and for latin1+utf16 bit 31 set when UTF-16 was chosen), and
;; greetings stored in the data segment in this encoding (so lifting is checked on its own).
(component
  (import "host-echo" (func $host-echo (param "s" string) (result string)))
  ;; Memory and a bump allocator (never frees: every test instance is short-lived).
  (core module $Libc
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $ptr i32) (local $end i32)
      (local.set $ptr (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $size)))
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then
          (if (i32.eq (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                                            (memory.size)))
                      (i32.const -1))
            (then unreachable))))
      (global.set $next (local.get $end))
      (local.get $ptr))
  )
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $host-echo-lowered
    (canon lower (func $host-echo) string-encoding=utf16 (memory $memory) (realloc $realloc)))
  (core module $Main
    (import "libc" "memory" (memory 1))
    (import "host" "echo" (func $host-echo (param i32 i32 i32)))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (i32.store (i32.const 4) (local.get 1))
      (i32.const 0))
    (func (export "relay") (param i32 i32) (result i32)
      (call $host-echo (local.get 0) (local.get 1) (i32.const 8))
      (i32.const 8))
    (func (export "units") (param i32 i32) (result i32)
      (local.get 1))
    (func (export "greeting") (result i32)
      (i32.store (i32.const 16) (i32.const 256))
      (i32.store (i32.const 20) (i32.const 17))
      (i32.const 16))
    (data (i32.const 256) "\68\00\e9\00\6c\00\6c\00\6f\00\2c\00\20\00\77\00\f6\00\72\00\6c\00\64\00\20\00\03\26\20\00\3d\d8\00\de")
  )
  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "host" (instance (export "echo" (func $host-echo-lowered))))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $main "echo") string-encoding=utf16 (memory $memory) (realloc $realloc)))
  (func (export "relay") (param "s" string) (result string)
    (canon lift (core func $main "relay") string-encoding=utf16 (memory $memory) (realloc $realloc)))
  (func (export "units") (param "s" string) (result u32)
    (canon lift (core func $main "units") string-encoding=utf16 (memory $memory) (realloc $realloc)))
  (func (export "greeting") (result string) (canon lift (core func $main "greeting") string-encoding=utf16 (memory $memory)))
)
