;; Fixed-length lists (`list<T, n>`) through instantiate (tests/component-fixed-lists.test.mjs):
;; flat parameters, results through memory, parameters spilled to memory, strings inside, and a
;; host import taking and returning them.
(component
  (import "pairs" (func $pairs (param "p" (list (tuple u8 s8) 2)) (result (list u32 2))))
  (core module $Mem
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    ;; A bump allocator: aligns up, never frees.
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $ptr i32)
      (local.set $ptr (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $ptr) (local.get 3)))
      (local.get $ptr))
  )
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "memory" (core memory $memory))
  (alias core export $mem "realloc" (core func $realloc))
  (core func $pairs-lowered (canon lower (func $pairs) (memory $memory)))
  (core instance $host (export "pairs" (func $pairs-lowered)))
  (core module $Main
    (import "mem" "memory" (memory 1))
    (import "host" "pairs" (func $pairs (param i32 i32 i32 i32 i32)))
    ;; list<u32, 3> comes as three i32s.
    (func (export "sum3") (param i32 i32 i32) (result i32)
      (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))
    ;; list<u8, 3> -> list<u8, 3>: the result (three flat values) goes back through memory.
    (func (export "reverse3") (param i32 i32 i32) (result i32)
      (i32.store8 (i32.const 64) (local.get 2))
      (i32.store8 (i32.const 65) (local.get 1))
      (i32.store8 (i32.const 66) (local.get 0))
      (i32.const 64))
    ;; list<u16, 20>: twenty flat values are past MAX_FLAT_PARAMS, so one pointer to them.
    (func (export "first-and-last") (param $p i32) (result i32)
      (i32.add (i32.load16_u (local.get $p))
               (i32.mul (i32.load16_u offset=38 (local.get $p)) (i32.const 1000))))
    ;; list<string, 2> -> list<string, 2>, swapped: four i32s in, a pointer to four out.
    (func (export "swap") (param i32 i32 i32 i32) (result i32)
      (i32.store (i32.const 80) (local.get 2))
      (i32.store (i32.const 84) (local.get 3))
      (i32.store (i32.const 88) (local.get 0))
      (i32.store (i32.const 92) (local.get 1))
      (i32.const 80))
    ;; Calls the host with [[1, -1], [200, 100]] and returns its list<u32, 2>.
    (func (export "via-host") (result i32)
      (call $pairs (i32.const 1) (i32.const -1) (i32.const 200) (i32.const 100) (i32.const 96))
      (i32.const 96))
    ;; A list<u32, 2> result whose pointer is misaligned.
    (func (export "misaligned") (result i32) (i32.const 97))
  )
  (core instance $main (instantiate $Main (with "mem" (instance $mem)) (with "host" (instance $host))))
  (func (export "sum3") (param "xs" (list u32 3)) (result u32) (canon lift (core func $main "sum3")))
  (func (export "reverse3") (param "xs" (list u8 3)) (result (list u8 3))
    (canon lift (core func $main "reverse3") (memory $memory)))
  (func (export "first-and-last") (param "xs" (list u16 20)) (result u32)
    (canon lift (core func $main "first-and-last") (memory $memory) (realloc $realloc)))
  (func (export "swap") (param "xs" (list string 2)) (result (list string 2))
    (canon lift (core func $main "swap") (memory $memory) (realloc $realloc)))
  (func (export "via-host") (result (list u32 2)) (canon lift (core func $main "via-host") (memory $memory)))
  (func (export "misaligned") (result (list u32 2)) (canon lift (core func $main "misaligned") (memory $memory)))
)
