// The Worker runner's flow control (js/src/output-flow.js) in Chromium: a page whose stdout
// callback has not finished with the output makes the guest's writes wait (JSPI on a plain page,
// Atomics.wait on a cross-origin-isolated one), and every byte arrives once it catches up.
import assert from "node:assert/strict";
import { printer, LINE } from "./wat-guests.mjs";

const WINDOW = 64 * 1024;
const LINES = 16 * 1024; // 1 MiB of output: 16 windows
const BATCH = 16 * 1024; // the engine's stdout batch (crate/core host/stdio.rs)

/**
 * Start the printer with a stdout callback that holds every chunk (its Promise unsettled), wait
 * until the guest has filled the window, give it a moment in which an unthrottled guest would
 * finish, then release the chunks one by one and collect everything.
 */
async function heldBack(ctx, { isolated, blocking }) {
  const page = await ctx.page("/tests-browser/pages/index.html", { isolated });
  return page.evaluate(async ({ wasm, size, blocking }) => {
    const { startWorker } = await window.cove;
    const held = [];
    let received = 0;
    const job = startWorker(new Uint8Array(wasm), {
      blocking, outputWindow: size, stdin: "",
      stdout: (chunk) => {
        received += chunk.length;
        return new Promise((release) => held.push({ chunk, release }));
      },
    });
    let exited = false;
    job.exited.then(() => { exited = true; });
    while (received < size) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 500)); // an unthrottled guest prints all of it meanwhile
    const whileHeld = { received, exited };
    while (!exited) {
      held.shift()?.release();
      await new Promise((r) => setTimeout(r, 0));
    }
    return { whileHeld, received, mode: await job.blocking, exitCode: (await job.exited).exitCode };
  }, { wasm: [...printer(LINES)], size: WINDOW, blocking }).finally(() => page.context().close());
}

export default function ({ test }) {
  for (const [name, opts] of [["JSPI", { isolated: false, blocking: "jspi" }], ["SharedArrayBuffer", { isolated: true, blocking: "sab" }]]) {
    test(`a page behind on stdout makes the guest's writes wait (${name}), and nothing is lost`, async (ctx) => {
      const r = await heldBack(ctx, opts);
      assert.equal(r.mode, opts.blocking);
      assert.equal(r.whileHeld.exited, false, "the guest waits while its output is unconsumed");
      assert.ok(r.whileHeld.received <= WINDOW + 2 * BATCH, `at most a window (+ a batch) in flight: ${r.whileHeld.received}`);
      assert.equal(r.exitCode, 0);
      assert.equal(r.received, LINES * LINE.length, "every byte arrives once the page catches up");
    });
  }

  test("stderr written a line at a time: each message counts as 1 KiB, so few wait on the page", async (ctx) => {
    const page = await ctx.page("/tests-browser/pages/index.html");
    try {
      const r = await page.evaluate(async ({ wasm }) => {
        const { startWorker } = await window.cove;
        let messages = 0;
        const job = startWorker(new Uint8Array(wasm), { outputWindow: 16 * 1024, stdin: "", stderr: () => { messages++; return new Promise(() => {}); } });
        while (messages < 16) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 500)); // an unthrottled guest sends thousands meanwhile
        const held = messages;
        job.terminate();
        return { held, terminated: (await job.exited).terminated };
      }, { wasm: [...printer(0, 2)] });
      assert.ok(r.held <= 18, `16 KiB of window = 16 one-line messages (+1 in flight): ${r.held}`);
      assert.equal(r.terminated, true, "terminate() ends a guest waiting on its output");
    } finally {
      await page.context().close();
    }
  });

  test("startWorker rejects an outputWindow that is not a positive byte count", async (ctx) => {
    const page = await ctx.page("/tests-browser/pages/index.html");
    try {
      const message = await page.evaluate(async () => {
        const { startWorker } = await window.cove;
        try { startWorker(new Uint8Array(8), { outputWindow: 0 }); return "accepted"; } catch (e) { return e.message; }
      });
      assert.match(message, /"options\.outputWindow" is out of range\. It must be a whole number of bytes >= 1 or Infinity/);
    } finally {
      await page.context().close();
    }
  });
}
