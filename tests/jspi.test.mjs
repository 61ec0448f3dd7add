// `blocking: "jspi"` in Node: the guest's stack is suspended (WebAssembly.Suspending/promising)
// while it waits for stdin or sleeps, so the embedder's event loop keeps running and `start()`
// returns a Promise of the exit code. Only Node 24+ has JSPI: `npm test` runs this file in its
// "node 24 (JSPI)" stage (tests/node24's Node, with COVE_REQUIRE_JSPI=1 so a Node without JSPI
// fails there instead of skipping). Under Node 20 — the "node (tests/)" stage — the JSPI cases
// skip, and the cases for a Node without JSPI run instead.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WASI, StdinPipe, run } from "cove";
import { readFileSync } from "node:fs";
import { guestModule, concat } from "./guests/harness.mjs";
import { TARGETS, guestBytes } from "./guests/parity.mjs";

const hasJspi = typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
const jspiRequired = process.env.COVE_REQUIRE_JSPI === "1";
const noJspiHere = `Node ${process.version} has no JSPI (WebAssembly.Suspending); Node 24+ runs these (npm test's "node 24 (JSPI)" stage)`;
// A guest that never gets what it waits for would hang the file: fail the test instead.
const GUARD = { timeout: 30_000 };

const decoder = new TextDecoder();

/** Captures a guest's stdout/stderr; `waitFor` resolves once a stream's text includes a string. */
function recorder() {
  const chunks = { stdout: [], stderr: [] };
  let waiters = [];
  const text = (stream) => decoder.decode(concat(chunks[stream]));
  const wake = () => {
    waiters = waiters.filter((w) => {
      if (!text(w.stream).includes(w.expected)) return true;
      w.resolve();
      return false;
    });
  };
  return {
    stdout: (chunk) => { chunks.stdout.push(chunk); wake(); },
    stderr: (chunk) => { chunks.stderr.push(chunk); wake(); },
    text,
    /** Resolves when `stream` shows `expected`; rejects if the run `done` settles first. */
    waitFor(stream, expected, done) {
      const shown = new Promise((resolve) => { waiters.push({ stream, expected, resolve }); wake(); });
      const ended = done.then(
        () => { throw new Error(`the guest exited before ${stream} showed ${JSON.stringify(expected)}: ${JSON.stringify(text(stream))}`); },
        (e) => { throw e; },
      );
      return Promise.race([shown, ended]);
    },
  };
}

/**
 * Instantiates guest `name` under a new WASI with `options` and starts it; returns what start()
 * returned (`done`) without awaiting it, with the output recorder and whether `done` settled.
 */
async function startGuest(name, args, options) {
  const rec = recorder();
  const wasi = new WASI({ version: "preview1", args: [name, ...args], stdout: rec.stdout, stderr: rec.stderr, ...options });
  const instance = await WebAssembly.instantiate(await guestModule(name), wasi.getImportObject());
  const done = wasi.start(instance);
  const state = { settled: false };
  Promise.resolve(done).then(() => { state.settled = true; }, () => { state.settled = true; });
  return { done, rec, state, wasi };
}

/** A macrotask: lets everything already queued on the event loop (timers due, I/O) run first. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("blocking: \"jspi\" (Node 24+)", { skip: hasJspi || jspiRequired ? false : noJspiHere }, () => {
  test("this Node has JSPI", () => {
    assert.ok(hasJspi, `${process.version}: WebAssembly.Suspending/promising missing, so blocking "jspi" cannot work`);
  });

  test("stdin written later from a timer: the guest waits for it while the event loop runs", GUARD, async () => {
    const stdin = new StdinPipe();
    const { done, rec, state } = await startGuest("stdin_echo", [], { stdin, blocking: "jspi" });
    assert.ok(done instanceof Promise, "with JSPI, start() returns a Promise");
    // The guest is now suspended in fd_read. Timers still fire, and each write reaches it.
    const fromTimer = await new Promise((resolve) => setTimeout(() => {
      resolve({ guestStillWaiting: !state.settled, stdoutBefore: rec.text("stdout") });
      stdin.write("typed ");
    }, 5));
    assert.deepEqual(fromTimer, { guestStillWaiting: true, stdoutBefore: "" });
    await rec.waitFor("stdout", "typed ", done);
    assert.equal(state.settled, false, "no EOF yet: the guest waits for more");
    setTimeout(() => {
      stdin.write(new TextEncoder().encode("later ✓\n"));
      stdin.end();
    }, 5);
    assert.equal(await done, 0, rec.text("stderr"));
    assert.equal(rec.text("stdout"), "typed later ✓\n");
    assert.equal(rec.text("stderr"), "stdin_echo: 16 bytes\n");
  });

  test("an interactive conversation: each answer comes before the next line is typed", GUARD, async () => {
    const stdin = new StdinPipe();
    const { done, rec } = await startGuest("repl", [], { stdin, blocking: "jspi" });
    await rec.waitFor("stdout", "> ", done);
    const exchanges = [["1+2\n", "> 3\n> "], ["2*(3+4)\n", "> 3\n> 14\n> "], ["1/0\n", "> 3\n> 14\n> > "]];
    for (const [line, stdoutAfter] of exchanges) {
      stdin.write(line);
      await rec.waitFor("stdout", stdoutAfter, done);
    }
    stdin.write("exit\n");
    assert.equal(await done, 0, rec.text("stderr"));
    assert.equal(rec.text("stdout"), "> 3\n> 14\n> > ");
    assert.equal(rec.text("stderr"), "error: division by zero\n");
  });

  test("a stdin callback that has nothing yet (empty chunk) is asked again until data comes", GUARD, async () => {
    const queue = [];
    let ended = false;
    let calls = 0;
    const stdin = () => {
      calls++;
      if (queue.length) return queue.shift();
      return ended ? null : new Uint8Array(0);
    };
    const { done, rec, state } = await startGuest("stdin_echo", [], { stdin, blocking: "jspi" });
    await nextTurn();
    assert.equal(state.settled, false, "the guest waits for the callback's data");
    queue.push("from ", "a callback");
    ended = true;
    assert.equal(await done, 0, rec.text("stderr"));
    assert.equal(rec.text("stdout"), "from a callback");
    assert.ok(calls >= 3, `the callback was asked again after "nothing yet" (${calls} calls)`);
  });

  test("poll_oneoff waits for stdin that arrives later, and times out when none comes", GUARD, async () => {
    const stdin = new StdinPipe();
    const late = await startGuest("poll_stdin", ["60000"], { stdin, blocking: "jspi" });
    setTimeout(() => stdin.write("late"), 5);
    await late.rec.waitFor("stdout", "read late\n", late.done);
    stdin.end();
    assert.equal(await late.done, 0);
    assert.equal(late.rec.text("stdout"), "read late\neof\n");

    const silent = new StdinPipe();
    const idle = await startGuest("poll_stdin", ["150"], { stdin: silent, blocking: "jspi" });
    let timerFired = false;
    setTimeout(() => { timerFired = !idle.state.settled; }, 0);
    assert.equal(await idle.done, 0);
    assert.equal(idle.rec.text("stdout"), "timeout\n");
    assert.ok(timerFired, "a timer fired while the guest polled");
  });

  test("a sleep really waits, without blocking the event loop", GUARD, async () => {
    let timerFiredDuringSleep = false;
    const sleeping = await startGuest("sleep", ["150"], { blocking: "jspi" });
    setTimeout(() => { timerFiredDuringSleep = !sleeping.state.settled; }, 0);
    assert.equal(await sleeping.done, 0, sleeping.rec.text("stderr"));
    assert.ok(timerFiredDuringSleep, "a 0 ms timer fired while the guest slept 150 ms");
    const elapsed = Number(sleeping.rec.text("stdout").match(/^slept 150 ms, elapsed (\d+) ms$/m)?.[1]);
    // A lower bound, with slack for timers that wake a little early; no wait at all reports ~0.
    assert.ok(elapsed >= 130, sleeping.rec.text("stdout"));
  });

  test("guests suspended at the same time each get their own stdin", GUARD, async () => {
    const pipes = [new StdinPipe(), new StdinPipe()];
    const guests = [];
    for (const stdin of pipes) guests.push(await startGuest("stdin_echo", [], { stdin, blocking: "jspi" }));
    await nextTurn();
    assert.deepEqual(guests.map((g) => g.state.settled), [false, false], "both wait");
    pipes[1].write("second");
    pipes[1].end();
    assert.equal(await guests[1].done, 0);
    assert.equal(guests[0].state.settled, false, "the first still waits");
    pipes[0].write("first");
    pipes[0].end();
    assert.equal(await guests[0].done, 0);
    assert.deepEqual(guests.map((g) => g.rec.text("stdout")), ["first", "second"]);
  });

  test("exit codes resolve the Promise; traps reject it with the guest's output flushed", GUARD, async () => {
    const exited = await startGuest("exit_code", ["7"], { blocking: "jspi" });
    assert.equal(await exited.done, 7);
    assert.equal(exited.rec.text("stdout"), "exit 7");

    const unreachable = await startGuest("trap", ["unreachable"], { blocking: "jspi" });
    await assert.rejects(unreachable.done, WebAssembly.RuntimeError);
    assert.equal(unreachable.rec.text("stdout"), "before trap");

    const panicked = await startGuest("trap", ["panic"], { blocking: "jspi" });
    await assert.rejects(panicked.done, WebAssembly.RuntimeError);
    assert.match(panicked.rec.text("stderr"), /cove test panic: the guest gave up/);
  });

  test("a stdin callback that throws while the guest waits rejects the Promise with that error", GUARD, async () => {
    let calls = 0;
    const broken = new Error("stdin source broke");
    const stdin = () => {
      if (++calls < 3) return new Uint8Array(0); // nothing yet: the guest suspends
      throw broken;
    };
    const { done } = await startGuest("stdin_echo", [], { stdin, blocking: "jspi" });
    await assert.rejects(done, (e) => e === broken);
  });

  test("blocking \"auto\" picks JSPI here: start() returns a Promise and stdin can arrive later", GUARD, async () => {
    const stdin = new StdinPipe();
    const { done, rec } = await startGuest("stdin_echo", [], { stdin, blocking: "auto" });
    assert.ok(done instanceof Promise, "auto chose JSPI");
    setTimeout(() => { stdin.write("auto"); stdin.end(); }, 5);
    assert.equal(await done, 0);
    assert.equal(rec.text("stdout"), "auto");
  });

  test("run() with blocking \"jspi\" and a StdinPipe", GUARD, async () => {
    const stdin = new StdinPipe();
    const result = run(await guestModule("repl"), { args: ["repl"], stdin, blocking: "jspi" });
    setTimeout(() => { stdin.write("6*7\n"); stdin.end(); }, 5);
    const { exitCode, stdout } = await result;
    assert.equal(exitCode, 0);
    assert.equal(stdout, "> 42\n> \n");
  });

  test("a p2 command component waits for stdin written later (Suspending WASI imports, promising lifts)", GUARD, async () => {
    const stdin = new StdinPipe();
    const component = readFileSync(new URL("../build/wasip2/wasip2-command.wasm", import.meta.url));
    const result = run(component, { args: ["cmd", "stdin"], stdin, blocking: "jspi" });
    let settled = false;
    result.finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false, "the component waits for stdin");
    stdin.write("later\n");
    stdin.end();
    const { exitCode, stdout } = await result;
    assert.deepEqual([exitCode, stdout], [0, "stdin: later\n"]);
  });

  test("p1/p2 parity: the same interactive REPL conversation from the p1 module and the p2 component", GUARD, async () => {
    const transcripts = {};
    for (const target of TARGETS) {
      const stdin = new StdinPipe();
      const rec = recorder();
      const done = run(await guestBytes(target, "repl"), { args: ["repl"], stdin, blocking: "jspi", onStdout: rec.stdout, onStderr: rec.stderr });
      // Each line is typed only once the answer to the one before has shown: the guest is waiting.
      await rec.waitFor("stdout", "> ", done);
      for (const [line, stdoutAfter] of [["1+2\n", "> 3\n> "], ["2*(3+4)\n", "> 3\n> 14\n> "], ["1/0\n", "> 3\n> 14\n> > "]]) {
        stdin.write(line);
        await rec.waitFor("stdout", stdoutAfter, done);
      }
      stdin.write("exit\n");
      const { exitCode } = await done;
      transcripts[target] = { exitCode, stdout: rec.text("stdout"), stderr: rec.text("stderr") };
    }
    assert.deepEqual(transcripts.p1, { exitCode: 0, stdout: "> 3\n> 14\n> > ", stderr: "error: division by zero\n" });
    assert.deepEqual(transcripts.p2, transcripts.p1);
  });
});

describe("a Node without JSPI (Node 20-23)", { skip: hasJspi ? `Node ${process.version} has JSPI` : false }, () => {
  test("blocking \"auto\" keeps start() synchronous: it returns the exit code, and sleeps still wait", async () => {
    const sleeping = await startGuest("sleep", ["50"], { blocking: "auto" });
    assert.equal(sleeping.done, 0, "start() returned the exit code itself, not a Promise");
    const elapsed = Number(sleeping.rec.text("stdout").match(/^slept 50 ms, elapsed (\d+) ms$/m)?.[1]);
    assert.ok(elapsed >= 40, sleeping.rec.text("stdout"));

    const echoed = await startGuest("stdin_echo", [], { stdin: "given up front", blocking: "auto" });
    assert.equal(echoed.done, 0);
    assert.equal(echoed.rec.text("stdout"), "given up front");
  });

  test("blocking \"jspi\" is refused with a clear error when the engine has no JSPI", () => {
    assert.throws(
      () => new WASI({ version: "preview1", stdin: new StdinPipe(), blocking: "jspi" }),
      /blocking: "jspi" requested but this engine has no WebAssembly.Suspending/,
    );
  });
});
