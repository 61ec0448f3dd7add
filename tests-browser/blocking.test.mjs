// The three ways a browser guest waits (js/src/blocking.js), each in the setting where Chromium
// can exercise it: JSPI (main thread and Worker), SharedArrayBuffer + Atomics in a Worker of a
// cross-origin-isolated page, and the non-blocking fallback. Stdin is fed after the guest has
// asked for it, so a read that did not really wait would see nothing.
import assert from "node:assert/strict";

const pages = {};
/** Run `fn` in this suite's page (isolated = served with COOP/COEP); one page per kind. */
async function inPage(ctx, fn, arg, { isolated = false } = {}) {
  const key = isolated ? "isolated" : "plain";
  pages[key] ??= ctx.page("/tests-browser/pages/index.html", { isolated });
  return (await pages[key]).evaluate(fn, arg);
}

/** In the page: start the repl in a Worker with `blocking`, converse, and report what happened. */
async function replConversation(blocking) {
  const { startWorker } = await window.cove;
  const { guest, recorder } = await window.helpers;
  const rec = recorder();
  const job = startWorker(await guest("repl"), { args: ["repl"], blocking, stdout: rec.stdout, stderr: rec.stderr });
  const mode = await job.blocking;
  await rec.waitFor("stdout", "> ");
  job.writeStdin("2+3\n");
  await rec.waitFor("stdout", "5\n");
  job.writeStdin("7*6\nexit\n");
  const { exitCode } = await job.exited;
  return { mode, exitCode, stdout: rec.text("stdout"), isolated: globalThis.crossOriginIsolated };
}

/** In the page: the sleep guest in a Worker; it reports the elapsed time on its own clock. */
async function sleepInWorker({ blocking, ms }) {
  const { runInWorker } = await window.cove;
  const { guest } = await window.helpers;
  return runInWorker(await guest("sleep"), { args: ["sleep", String(ms)], blocking });
}

const elapsedOf = (stdout) => Number(/elapsed (\d+) ms/.exec(stdout)?.[1]);

/** In the page: wasi-testsuite's poll_oneoff_stdio with stdin left open and silent. */
async function pollSilentStdin({ url, blocking }) {
  const { startWorker } = await window.cove;
  const { recorder } = await window.helpers;
  const rec = recorder();
  const job = startWorker(url, { args: ["poll_oneoff_stdio.wasm"], blocking, stdout: rec.stdout, stderr: rec.stderr });
  const { exitCode } = await job.exited;
  return { exitCode, mode: await job.blocking, out: rec.text("stdout") + rec.text("stderr") };
}

export default function ({ test }) {
  test("poll_oneoff on an open, silent stdin: the timeout fires in every mode (JSPI, SAB, none)", async (ctx) => {
    const url = `${ctx.suiteUrl}/rust/poll_oneoff_stdio.wasm`;
    const results = [
      await inPage(ctx, pollSilentStdin, { url, blocking: "jspi" }),
      await inPage(ctx, pollSilentStdin, { url, blocking: "none" }),
      await inPage(ctx, pollSilentStdin, { url, blocking: "sab" }, { isolated: true }),
    ];
    assert.deepEqual(results.map((r) => r.mode), ["jspi", "none", "sab"]);
    for (const r of results) assert.equal(r.exitCode, 0, `${r.mode}: ${r.out}`);
  });

  test("JSPI, main thread: WASI with blocking \"jspi\" waits for stdin written later", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { WASI, StdinPipe } = await window.cove;
      const { guest, recorder } = await window.helpers;
      const rec = recorder();
      const stdin = new StdinPipe();
      const wasi = new WASI({ version: "preview1", args: ["stdin_echo"], stdin, stdout: rec.stdout, stderr: rec.stderr, blocking: "jspi" });
      const instance = await WebAssembly.instantiate(await guest("stdin_echo"), wasi.getImportObject());
      const done = wasi.start(instance);
      const wasPromise = done instanceof Promise;
      // The guest is now suspended in fd_read; the page's event loop keeps running.
      await new Promise((r) => setTimeout(r, 0));
      const before = rec.text("stdout");
      stdin.write("typed ");
      await rec.waitFor("stdout", "typed ");
      stdin.write("later\n");
      stdin.end();
      const exitCode = await done;
      return { wasPromise, before, exitCode, stdout: rec.text("stdout"), stderr: rec.text("stderr") };
    });
    assert.ok(r.wasPromise, "with JSPI, start() returns a Promise");
    assert.equal(r.before, "", "nothing to echo before stdin arrives");
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, "typed later\n");
    assert.match(r.stderr, /stdin_echo: 12 bytes/);
  });

  test("JSPI, main thread: a guest's sleep really waits, and run() uses JSPI", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { run } = await window.cove;
      const { guest } = await window.helpers;
      return run(await guest("sleep"), { args: ["sleep", "30"] });
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(elapsedOf(r.stdout) >= 30, `the guest's own clock saw the sleep: ${r.stdout}`);
  });

  test("JSPI, Worker: interactive stdin and sleep", async (ctx) => {
    const r = await inPage(ctx, async (conversation) => {
      const talk = await (0, eval)(`(${conversation})`)("jspi");
      const { runInWorker } = await window.cove;
      const { guest } = await window.helpers;
      const sleep = await runInWorker(await guest("sleep"), { args: ["sleep", "30"], blocking: "jspi" });
      return { talk, sleep };
    }, replConversation.toString());
    assert.equal(r.talk.mode, "jspi");
    assert.equal(r.talk.exitCode, 0);
    assert.match(r.talk.stdout, /^> 5\n> 42\n> $/);
    assert.ok(elapsedOf(r.sleep.stdout) >= 30, r.sleep.stdout);
  });

  test("SharedArrayBuffer + Atomics, Worker of a crossOriginIsolated page: stdin and sleep", async (ctx) => {
    const r = await inPage(ctx, async (conversation) => {
      const talk = await (0, eval)(`(${conversation})`)("sab");
      const { runInWorker } = await window.cove;
      const { guest } = await window.helpers;
      const sleep = await runInWorker(await guest("sleep"), { args: ["sleep", "30"], blocking: "sab" });
      return { talk, sleep };
    }, replConversation.toString(), { isolated: true });
    assert.equal(r.talk.isolated, true, "the page is served with COOP/COEP");
    assert.equal(r.talk.mode, "sab");
    assert.equal(r.talk.exitCode, 0);
    assert.match(r.talk.stdout, /^> 5\n> 42\n> $/);
    assert.ok(elapsedOf(r.sleep.stdout) >= 30, r.sleep.stdout);
  });

  test("non-blocking fallback: given stdin works, open stdin reads EAGAIN, sleeps return at once", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { runInWorker, startWorker } = await window.cove;
      const { guest, recorder } = await window.helpers;
      const given = await runInWorker(await guest("stdin_echo"), { args: ["stdin_echo"], stdin: "all of it\n", blocking: "none" });
      const rec = recorder();
      const job = startWorker(await guest("stdin_echo"), { args: ["stdin_echo"], blocking: "none", stdout: rec.stdout, stderr: rec.stderr });
      const mode = await job.blocking;
      const open = await job.exited;
      const sleep = await runInWorker(await guest("sleep"), { args: ["sleep", "30"], blocking: "none" });
      let sabHere;
      try { startWorker(await guest("hello"), { blocking: "sab" }); sabHere = "started"; } catch (e) { sabHere = e.message; }
      return { given, mode, openExit: open.exitCode, openStderr: rec.text("stderr"), sleep, sabHere };
    });
    assert.equal(r.given.exitCode, 0);
    assert.equal(r.given.stdout, "all of it\n");
    assert.equal(r.mode, "none");
    assert.equal(r.openExit, 1, "an empty, still-open stdin is reported, not treated as EOF");
    assert.match(r.openStderr, /read failed: .*(Resource temporarily unavailable|would block|WouldBlock|os error 6)/i);
    assert.equal(r.sleep.exitCode, 0);
    assert.match(r.sleep.stdout, /^slept 30 ms, elapsed \d+ ms\n$/);
    assert.match(r.sabHere, /needs a crossOriginIsolated page/, "asking for \"sab\" without isolation fails clearly");
  });
}
