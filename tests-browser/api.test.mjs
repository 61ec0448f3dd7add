// The JavaScript API in a real page: the same names as in Node (WASI, MemFS, run), exit codes,
// traps, stdout/stderr ordering, MemFS seen by guests, and the Worker runner (streams, stdin,
// terminate). Guests come from tests/guests (build/guests/*.wasm).
import assert from "node:assert/strict";

let shared;
/** One page for the whole suite (a fresh page costs ~0.4 s); each case gets a clean MemFS. */
async function cove(ctx) {
  shared ??= ctx.page("/tests-browser/pages/index.html");
  return shared;
}

export default function ({ test }) {
  test("exports the Node names and the browser extras", async (ctx) => {
    const page = await cove(ctx);
    const names = await page.evaluate(async () => Object.keys(await window.cove).sort());
    for (const n of ["WASI", "MemFS", "run", "startWorker", "runInWorker", "saveMemFS", "loadMemFS", "openOPFS"]) {
      assert.ok(names.includes(n), `missing export ${n}: ${names}`);
    }
  });

  test("run() on the main thread: args, env, stdout, exit code 0", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { run } = await window.cove;
      const { guest } = await window.helpers;
      return run(await guest("hello"), { args: ["hello", "wörld"], env: { LANG: "C" } });
    });
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /^Hello from Cove!\n/);
    assert.match(r.stdout, /arg 1: wörld\n/);
    assert.match(r.stdout, /env LANG=C\n/);
  });

  test("WASI class like node:wasi: getImportObject, start returns the exit code", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { WASI } = await window.cove;
      const { guest } = await window.helpers;
      const out = [];
      const wasi = new WASI({ version: "preview1", args: ["exit_code", "7"], returnOnExit: true, stdout: (c) => out.push(c) });
      const instance = await WebAssembly.instantiate(await guest("exit_code"), wasi.getImportObject());
      const code = await wasi.start(instance);
      let again;
      try { await wasi.start(instance); again = "no error"; } catch (e) { again = e.message; }
      return { code, again };
    });
    assert.equal(r.code, 7);
    assert.notEqual(r.again, "no error", "starting twice must throw, as node:wasi does");
  });

  test("a trap rejects with the wasm error, output before it is kept", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { run } = await window.cove;
      const { guest } = await window.helpers;
      try {
        await run(await guest("trap"), { args: ["trap"] });
        return { threw: false };
      } catch (e) {
        return { threw: true, name: e.name, message: e.message, isRuntimeError: e instanceof WebAssembly.RuntimeError };
      }
    });
    assert.ok(r.threw, "a trapping guest must not look like a success");
    assert.ok(r.isRuntimeError || /unreachable|trap/i.test(r.message), `${r.name}: ${r.message}`);
  });

  test("stdout is delivered before a later stderr write (ordering across streams)", async (ctx) => {
    const page = await cove(ctx);
    const events = await page.evaluate(async () => {
      const { run } = await window.cove;
      const { guest, recorder } = await window.helpers;
      const rec = recorder();
      await run(await guest("stdin_echo"), { stdin: "first line\nsecond line\n", onStdout: rec.stdout, onStderr: rec.stderr });
      return rec.events;
    });
    const streams = events.map(([s]) => s);
    assert.equal(events.filter(([s]) => s === "stdout").map(([, t]) => t).join(""), "first line\nsecond line\n");
    assert.equal(streams.at(-1), "stderr", `stderr came last: ${JSON.stringify(events)}`);
    assert.ok(streams.indexOf("stderr") > streams.lastIndexOf("stdout"), JSON.stringify(events));
  });

  test("MemFS: the guest reads files the page put there, the page reads what the guest wrote", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { run, MemFS } = await window.cove;
      const { guest } = await window.helpers;
      const fs = new MemFS({ "/in/hello.txt": "from the page" });
      const files = await guest("files");
      const cat = await run(files, { args: ["files", "cat", "/in/hello.txt"], fs });
      const write = await run(files, { args: ["files", "write", "/out/new.txt", "from the guest"], fs: fs, stdin: "" });
      const mkdir = await run(files, { args: ["files", "mkdir", "/out"], fs });
      const write2 = await run(files, { args: ["files", "write", "/out/new.txt", "from the guest"], fs });
      return { cat, write: write.exitCode, mkdir: mkdir.exitCode, write2: write2.exitCode, back: new TextDecoder().decode(fs.readFile("/out/new.txt")), list: fs.readdir("/").sort() };
    });
    assert.equal(r.cat.exitCode, 0, r.cat.stderr);
    assert.equal(r.cat.stdout, "from the page");
    assert.equal(r.write, 1, "writing into a missing directory fails");
    assert.equal(r.mkdir, 0);
    assert.equal(r.write2, 0);
    assert.equal(r.back, "from the guest");
    assert.deepEqual(r.list, ["in", "out"]);
  });

  test("Worker runner: output streams back, the page's MemFS gets the guest's writes", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { runInWorker, run, MemFS } = await window.cove;
      const { guest } = await window.helpers;
      const hello = await runInWorker(await guest("hello"), { args: ["hello", "in a worker"] });
      const fs = new MemFS({ "/a.txt": "A" });
      const cp = await run(await guest("files"), { worker: true, args: ["files", "cp", "/a.txt", "/b.txt"], fs });
      return { hello, cp, b: new TextDecoder().decode(fs.readFile("/b.txt")), isWorker: true };
    });
    assert.equal(r.hello.exitCode, 0);
    assert.match(r.hello.stdout, /arg 1: in a worker\n/);
    assert.equal(r.cp.exitCode, 0, r.cp.stderr);
    assert.equal(r.b, "A");
  });

  test("Worker runner: exit codes, traps and load errors cross back to the page", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { runInWorker, startWorker } = await window.cove;
      const { guest } = await window.helpers;
      const exit = await runInWorker(await guest("exit_code"), { args: ["exit_code", "42"] });
      let trap;
      try { await runInWorker(await guest("trap"), { args: ["trap"] }); trap = "resolved"; } catch (e) { trap = `${e.name}: ${e.message}`; }
      const bad = startWorker(new Uint8Array([0, 97, 115, 109, 9, 9]), {});
      let load;
      try { await bad.exited; load = "resolved"; } catch (e) { load = `${e.name}: ${e.message}`; }
      let missing;
      try { await runInWorker(new URL("/no-such-guest.wasm", location.href).href, {}); missing = "resolved"; } catch (e) { missing = `${e.name}: ${e.message}`; }
      return { exit: exit.exitCode, trap, load, missing, badBlocking: await bad.blocking };
    });
    assert.match(r.load, /CompileError/, "a module that does not compile rejects `exited`");
    assert.match(r.missing, /runInWorker: fetching .*no-such-guest\.wasm failed: 404/, "a URL that is not there is named, not compiled");
    assert.equal(r.badBlocking, null);
    assert.equal(r.exit, 42);
    assert.notEqual(r.trap, "resolved");
    assert.match(r.trap, /unreachable|trap|RuntimeError/i);
  });

  test("run() and the Worker runner stop a guest whose output passes maxOutput", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { runInWorker, run } = await window.cove;
      const { guest } = await window.helpers;
      const stdin = "x".repeat(2048);
      const outcome = (promise) => promise.then((v) => `resolved ${v.stdout.length}`, (e) => `${e.code}: ${e.message}`);
      return {
        here: await outcome(run(await guest("stdin_echo"), { args: ["stdin_echo"], stdin, maxOutput: 1024 })),
        worker: await outcome(runInWorker(await guest("stdin_echo"), { args: ["stdin_echo"], stdin, maxOutput: 1024 })),
        fits: await outcome(runInWorker(await guest("stdin_echo"), { args: ["stdin_echo"], stdin, maxOutput: 2048 })),
      };
    });
    for (const where of ["here", "worker"]) assert.match(r[where], /^ERR_COVE_OUTPUT_LIMIT: .*\(1024 bytes\) to stdout/, where);
    assert.equal(r.fits, "resolved 2048");
  });

  test("Worker runner: interactive REPL over stdin, then terminate a guest waiting for input", async (ctx) => {
    const page = await cove(ctx);
    const r = await page.evaluate(async () => {
      const { startWorker } = await window.cove;
      const { guest, recorder } = await window.helpers;
      const rec = recorder();
      const job = startWorker(await guest("repl"), { args: ["repl"], stdout: rec.stdout, stderr: rec.stderr });
      const blocking = await job.blocking;
      await rec.waitFor("stdout", "> ");
      job.writeStdin("6*7\n");
      await rec.waitFor("stdout", "42\n");
      job.writeStdin("(1+2)*-3\n");
      await rec.waitFor("stdout", "-9\n");
      const beforeStop = rec.text("stdout");
      job.terminate();
      const exited = await job.exited;
      return { blocking, beforeStop, exited };
    });
    assert.equal(r.blocking, "jspi", "Chromium has JSPI, so the worker picks it");
    assert.match(r.beforeStop, /> 42\n> -9\n> $/);
    assert.deepEqual(r.exited, { exitCode: null, terminated: true });
  });
}
