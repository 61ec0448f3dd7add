// Share links: the playground's set-up (module URL or example, arguments, environment, policy and
// small text files) as JSON, deflated and base64url-encoded into the URL's fragment (#share=…),
// which never reaches a server. Opening such a link restores that set-up.

export const SHARE_PREFIX = "#share=";
/** Files travel in the link only while their text totals at most this many bytes. */
export const SHARE_FILE_BYTES = 16 * 1024;

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The fragment for `setup` ({ module, args, env, policy, files: { path: text } }). */
export async function encodeShare(setup) {
  const json = new TextEncoder().encode(JSON.stringify({ v: 1, ...setup }));
  return SHARE_PREFIX + toBase64Url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** The set-up in a #share= fragment; throws with a plain message when the link is damaged. */
export async function decodeShare(hash) {
  try {
    const json = await pipe(fromBase64Url(hash.slice(SHARE_PREFIX.length)), new DecompressionStream("deflate-raw"));
    const setup = JSON.parse(new TextDecoder().decode(json));
    if (setup?.v !== 1) throw new Error(`version ${setup?.v}`);
    return setup;
  } catch (e) {
    throw new Error(`this share link is damaged or from a newer playground (${e.message})`);
  }
}

/**
 * The files that fit in a link: UTF-8 text, smallest first, until SHARE_FILE_BYTES. Returns
 * { files: { path: text }, left: [paths that did not fit or are binary] }.
 */
export function shareableFiles(entries) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const files = {};
  const left = [];
  let total = 0;
  for (const e of [...entries].filter((x) => x.type === "file").sort((a, b) => a.data.length - b.data.length)) {
    let text = null;
    try {
      text = decoder.decode(e.data);
    } catch { /* binary */ }
    if (text === null || total + e.data.length > SHARE_FILE_BYTES) left.push(e.path);
    else {
      files[e.path] = text;
      total += e.data.length;
    }
  }
  return { files, left };
}
