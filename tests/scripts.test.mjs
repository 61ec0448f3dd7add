// The repository's own scripts as a developer meets them: `npm start` writes plain text when its
// output is not a terminal (a log file, CI), honouring NO_COLOR and FORCE_COLOR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "../scripts/lib.mjs";

/** Runs `npm start -- --no-build --port 0` with `env` until it prints its URL; returns stdout. */
function startOutput(env) {
  const child = spawn(process.execPath, [join(root, "scripts", "start.mjs"), "--no-build", "--port", "0"],
    { cwd: root, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: undefined, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("Ctrl-C")) child.kill("SIGTERM");
    });
    child.on("error", reject);
    child.on("close", () => (out.includes("Cove playground: http://localhost:") ? resolve(out) : reject(new Error(`npm start printed ${JSON.stringify(out)}`))));
  });
}

const ESC = "\x1b[";

test("npm start into a pipe: no ANSI colour codes", { timeout: 60_000 }, async () => {
  const out = await startOutput({});
  assert.ok(!out.includes(ESC), JSON.stringify(out));
  assert.match(out, /^== Cove playground: http:\/\/localhost:\d+\/\n/);
});

test("npm start: FORCE_COLOR=1 asks for colour, NO_COLOR wins over it, FORCE_COLOR=0 is off", { timeout: 60_000 }, async () => {
  assert.ok((await startOutput({ FORCE_COLOR: "1" })).includes(`${ESC}1m== Cove playground`));
  assert.ok(!(await startOutput({ FORCE_COLOR: "1", NO_COLOR: "1" })).includes(ESC));
  assert.ok(!(await startOutput({ FORCE_COLOR: "0" })).includes(ESC));
});
