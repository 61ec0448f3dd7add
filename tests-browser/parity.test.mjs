// p1/p2 parity in Chromium (tests/parity.test.mjs has the Node side): the tests/guests programs
// built as wasm32-wasip1 modules (/build/guests) and as wasm32-wasip2 command components
// (/build/guests-p2) run in a Worker with the same options and must behave the same: an
// interactive REPL whose stdin the page types line by line (JSPI), byte-exact arguments and
// environment, and frozen clock + seeded random.
import assert from "node:assert/strict";

let shared;
async function inPage(ctx, fn, arg) {
  shared ??= ctx.page("/tests-browser/pages/index.html");
  return (await shared).evaluate(fn, arg);
}

/** The guest's URL for a target, as the page fetches it. */
const GUEST_URLS = { p1: (name) => `/build/guests/${name}.wasm`, p2: (name) => `/build/guests-p2/${name}.wasm` };
const guestUrls = (name) => Object.fromEntries(Object.entries(GUEST_URLS).map(([target, url]) => [target, url(name)]));

export default function ({ test }) {
  test("an interactive REPL in a Worker: the p1 module and the p2 component hold the same conversation (JSPI)", async (ctx) => {
    const r = await inPage(ctx, async (urls) => {
      const { startWorker } = await window.cove;
      const { recorder } = await window.helpers;
      const out = {};
      for (const [target, url] of Object.entries(urls)) {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        const rec = recorder();
        const job = startWorker(bytes, { args: ["repl"], stdout: rec.stdout, stderr: rec.stderr });
        const mode = await job.blocking;
        await rec.waitFor("stdout", "> ");
        job.writeStdin("6*7\n");
        await rec.waitFor("stdout", "42\n> ");
        job.writeStdin("(1+2)*-3\n");
        await rec.waitFor("stdout", "-9\n> ");
        job.writeStdin("1/0\nexit\n");
        const { exitCode } = await job.exited;
        out[target] = { mode, exitCode, stdout: rec.text("stdout"), stderr: rec.text("stderr") };
      }
      return out;
    }, guestUrls("repl"));
    assert.deepEqual(r.p1, { mode: "jspi", exitCode: 0, stdout: "> 42\n> -9\n> > ", stderr: "error: division by zero\n" });
    assert.deepEqual(r.p2, r.p1);
  });

  test("non-ASCII, empty and '=' arguments and environment arrive byte-exact in a Worker, the same from p1 and p2", async (ctx) => {
    const args = ["héllo", "", "a=b=c", "日本 🎉"];
    const env = { EQUALS: "x=y", EMPTY: "", "ÜMLAUT": "välue 🎉" };
    const r = await inPage(ctx, async ({ urls, args, env }) => {
      const { runInWorker } = await window.cove;
      const out = {};
      for (const [target, url] of Object.entries(urls)) {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        out[target] = await runInWorker(bytes, { args: ["utf8_args_env", ...args], env });
      }
      return out;
    }, { urls: guestUrls("utf8_args_env"), args, env });
    assert.equal(r.p1.exitCode, 0, r.p1.stderr);
    const argv = ["utf8_args_env", ...args];
    for (const [i, a] of argv.entries()) {
      assert.ok(r.p1.stdout.includes(`arg ${i} len=${Buffer.byteLength(a)} hex=${Buffer.from(a).toString("hex")} text=${a}\n`), r.p1.stdout);
    }
    for (const [k, v] of Object.entries(env)) assert.ok(r.p1.stdout.includes(`hex=${Buffer.from(`${k}=${v}`).toString("hex")} `), r.p1.stdout);
    assert.deepEqual(r.p2, r.p1);
  });

  test("frozen clock + seeded random: the p1 module and the p2 component print the same bytes in a Worker", async (ctx) => {
    const r = await inPage(ctx, async (urls) => {
      const { runInWorker } = await window.cove;
      const out = {};
      for (const [target, url] of Object.entries(urls)) {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        out[target] = await runInWorker(bytes, { args: ["clock_random"], policy: { clock: "frozen", random: { seed: 7 } } });
      }
      return out;
    }, guestUrls("clock_random"));
    assert.equal(r.p1.exitCode, 0, r.p1.stderr);
    assert.match(r.p1.stdout, /^realtime: \d+\nmonotonic: \d+\nrandom16: [0-9a-f]{32}\nrandom8: [0-9a-f]{16}\n$/);
    assert.deepEqual(r.p2, r.p1);
  });
}
