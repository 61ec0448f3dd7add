// The component cases in a module Worker: `?part=&runtime=` in its URL say what to run (a
// message could arrive while the imports' top-level awaits run, before a handler exists); it
// posts what runComponentCases returns, or { error }.
import { runComponentCases } from "./component-guests.js";

const params = new URL(self.location.href).searchParams;
runComponentCases(params.get("part"), params.get("runtime") ?? "cove")
  .then((r) => self.postMessage(r), (e) => self.postMessage({ error: String(e?.stack ?? e) }));
