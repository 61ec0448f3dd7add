;; Valid structure, but the core function `f` returns an i64 where its type says i32: invalid.
(component
  (core module $m
    (func (export "f") (result i32)
      i64.const 1)))
