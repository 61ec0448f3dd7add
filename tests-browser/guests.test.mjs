// The browser-relevant behaviour of tests/guests programs, in Chromium: byte-exact UTF-8 args and
// env, random_get past crypto.getRandomValues' 64 KiB limit, deterministic clocks/random across
// the main thread and a Worker, memory.grow in the middle of I/O, large files and long
// directory listings in a MemFS, stream ordering through Worker messages, and read-only mounts
// whose denials reach the page as events.
import assert from "node:assert/strict";

let shared;
async function inPage(ctx, fn, arg) {
  shared ??= ctx.page("/tests-browser/pages/index.html");
  return (await shared).evaluate(fn, arg);
}

const utf8Len = (s) => Buffer.byteLength(s);

export default function ({ test }) {
  test("non-ASCII args and env arrive byte-exact, sizes counted in UTF-8 bytes (Worker)", async (ctx) => {
    const args = ["héllo", "日本", "🎉", ""];
    const env = { GREETING: "héllo 日本 🎉", "ÜMLAUT": "välue" };
    const r = await inPage(ctx, async ({ args, env }) => {
      const { runInWorker } = await window.cove;
      const { guest } = await window.helpers;
      return runInWorker(await guest("utf8_args_env"), { args: ["utf8_args_env", ...args], env });
    }, { args, env });
    assert.equal(r.exitCode, 0, r.stderr);
    const argv = ["utf8_args_env", ...args];
    assert.ok(r.stdout.includes(`sizes args count=${argv.length} bytes=${argv.reduce((n, a) => n + utf8Len(a) + 1, 0)}\n`), r.stdout);
    const entries = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    assert.ok(r.stdout.includes(`sizes env count=2 bytes=${entries.reduce((n, e) => n + utf8Len(e) + 1, 0)}\n`), r.stdout);
    for (const [i, a] of argv.entries()) {
      assert.ok(r.stdout.includes(`arg ${i} len=${utf8Len(a)} hex=${Buffer.from(a).toString("hex")}`), `arg ${i}: ${r.stdout}`);
    }
  });

  test("random_get of 200,000 bytes in one call (crypto's limit is 65,536), main thread and Worker", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { run, runInWorker } = await window.cove;
      const { guest } = await window.helpers;
      const m = await guest("random_bytes");
      return [await run(m, { args: ["random_bytes", "200000"] }), await runInWorker(m, { args: ["random_bytes", "200000"] })];
    });
    for (const x of r) {
      assert.equal(x.exitCode, 0, x.stderr);
      assert.match(x.stdout, /^bytes 200000 distinct 256 fnv1a [0-9a-f]{8}\n$/);
    }
    assert.notEqual(r[0].stdout, r[1].stdout, "two draws of crypto random differ");
  });

  test("frozen clock + seeded random: the main thread and a Worker print identical bytes; real clock is now", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { run, runInWorker } = await window.cove;
      const { guest } = await window.helpers;
      const m = await guest("clock_random");
      const policy = { clock: "frozen", random: { seed: 7 } };
      const before = Date.now();
      const real = await runInWorker(m, { args: ["clock_random"] });
      const after = Date.now();
      return { main: await run(m, { args: ["clock_random"], policy }), worker: await runInWorker(m, { args: ["clock_random"], policy }), real, before, after };
    });
    assert.equal(r.main.exitCode, 0, r.main.stderr);
    assert.match(r.main.stdout, /^realtime: \d+\nmonotonic: \d+\nrandom16: [0-9a-f]{32}\nrandom8: [0-9a-f]{16}\n$/);
    assert.equal(r.worker.stdout, r.main.stdout);
    const realtime = BigInt(/realtime: (\d+)/.exec(r.real.stdout)[1]);
    assert.ok(realtime >= BigInt(r.before - 1) * 1_000_000n && realtime <= BigInt(r.after + 1) * 1_000_000n, `${realtime} not within [${r.before}, ${r.after}] ms`);
  });

  test("memory.grow around every read and write: 1 MiB through stdin/stdout intact (main thread, Worker)", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { run, startWorker } = await window.cove;
      const { guest } = await window.helpers;
      const m = await guest("grow_io");
      const input = new Uint8Array(1 << 20);
      for (let i = 0; i < input.length; i += 65536) crypto.getRandomValues(input.subarray(i, i + 65536));
      const same = (a) => a.length === input.length && a.every((b, i) => b === input[i]);
      const main = await run(m, { args: ["grow_io", "-", "-"], stdin: input });
      const chunks = [];
      let stderr = "";
      const job = startWorker(m, { args: ["grow_io", "-", "-"], stdin: input, stdout: (c) => chunks.push(c), stderr: (c) => { stderr += new TextDecoder().decode(c); } });
      const { exitCode } = await job.exited;
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      return { main: { exitCode: main.exitCode, same: same(main.stdoutBytes), stderr: main.stderr }, worker: { exitCode, same: same(out), stderr } };
    });
    for (const [where, x] of Object.entries(r)) {
      assert.equal(x.exitCode, 0, `${where}: ${x.stderr}`);
      assert.ok(x.same, `${where}: stdout differs from stdin`);
      assert.match(x.stderr, /read 1048576 bytes in \d+ calls\nwrote 1048576 bytes\nmemory pages \d+ -> \d+\n/);
    }
  });

  test("a 16 MiB file and 1,000 directory entries in a Worker's MemFS", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { runInWorker, MemFS } = await window.cove;
      const { guest } = await window.helpers;
      const fs = new MemFS();
      fs.mkdir("/many");
      const big = await runInWorker(await guest("bigfile"), { args: ["bigfile", "16", "/big.bin"], fs });
      const many = await runInWorker(await guest("many_files"), { args: ["many_files", "/many", "1000"], fs });
      return { big, many, size: fs.stat("/big.bin").size };
    });
    assert.equal(r.big.exitCode, 0, r.big.stderr);
    assert.match(r.big.stdout, /^wrote 16777216 bytes\nsize 16777216\nread 16777216 bytes, 0 mismatches\n/);
    assert.equal(r.size, 16777216, "the page's MemFS received the guest's file");
    assert.equal(r.many.exitCode, 0, r.many.stderr);
    assert.equal(r.many.stdout, "created 1000\nlisted 1000 entries, 0 missing, 0 duplicates, 0 unexpected\nafter removal: 0 entries\n");
  });

  test("stdout and stderr lines keep the guest's order through Worker messages", async (ctx) => {
    const events = await inPage(ctx, async () => {
      const { startWorker } = await window.cove;
      const { guest, recorder } = await window.helpers;
      const rec = recorder();
      const job = startWorker(await guest("interleave"), { args: ["interleave", "200"], stdin: "", stdout: rec.stdout, stderr: rec.stderr });
      await job.exited;
      return rec.events;
    });
    const lines = events.flatMap(([stream, text]) => text.split("\n").filter(Boolean).map((l) => `${stream}:${l}`));
    const expected = Array.from({ length: 200 }, (_, i) => [`stdout:out ${i}`, `stderr:err ${i}`]).flat();
    assert.deepEqual(lines, expected);
  });

  test("a read-only policy mount refuses every change; denials reach the page as events (Worker)", async (ctx) => {
    const r = await inPage(ctx, async () => {
      const { runInWorker, MemFS } = await window.cove;
      const { guest } = await window.helpers;
      const fs = new MemFS({ "/data/existing.txt": "keep me", "/data/victim.txt": "do not touch" });
      fs.mkdir("/data/subdir");
      const events = [];
      const policy = { mounts: [{ guest: "/ro", host: "/data", mode: "ro" }] };
      const result = await runInWorker(await guest("ro_write"), { args: ["ro_write", "/ro"], fs, policy, onEvent: (e) => events.push(e) });
      return { result, events, victim: fs.readFile("/data/victim.txt", "utf8"), listing: fs.readdir("/data").sort() };
    });
    assert.equal(r.result.exitCode, 0, r.result.stderr);
    const lines = r.result.stdout.trim().split("\n");
    assert.equal(lines[0], "read: ok");
    assert.equal(lines[1], "content: keep me");
    const attempts = lines.slice(2);
    assert.ok(attempts.length >= 5, r.result.stdout);
    for (const line of attempts) assert.match(line, /: error errno=\d+ E(ROFS|ACCES|NOTCAPABLE|PERM)/, line);
    assert.equal(r.victim, "do not touch");
    assert.deepEqual(r.listing, ["existing.txt", "subdir", "victim.txt"]);
    assert.ok(r.events.length >= 1, "denial events crossed from the Worker");
    for (const e of r.events) assert.equal(e.type, "denied", JSON.stringify(e));
  });
}
