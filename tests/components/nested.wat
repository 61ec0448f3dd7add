;; A component with a nested core module, a nested component, an import and an export of a lifted
;; function: enough structure for validate()'s tests to corrupt and truncate.
(component
  (import "host-log" (func $log (param "msg" string)))
  (core module $m
    (memory (export "memory") 1)
    (func (export "add") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      i32.const 8))
  (core instance $i (instantiate $m))
  (component $inner
    (core module $empty)
    (core instance (instantiate $empty)))
  (instance (instantiate $inner))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
)
