// Must NOT type-check (tests/types.test.mjs): startWorker and openOPFS exist only in the browser
// build, so a Node program importing them would fail at run time.
import { openOPFS, startWorker } from "cove";

startWorker("hello.wasm");
await openOPFS();
