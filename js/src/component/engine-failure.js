// What the JS sides of both component engines share (api.js, validator-api.js): the bytes they are
// given, and the ComponentError an engine's `Failure` becomes.
import { invalidArgType } from "../errors.js";
import { ComponentError } from "./lazy.js";

/** The bytes of a BufferSource, as WebAssembly.validate accepts them. */
export function bufferBytes(name, bytes) {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw invalidArgType(name, "an instance of ArrayBuffer, TypedArray or DataView", bytes);
}

/** A ComponentError from an engine's `Failure` (freed here). */
export function componentError(failure) {
  const { message, offset, section } = failure;
  failure.free();
  return failedAt(message, offset, section);
}

/** The ComponentError for `problem` at byte `offset` of the component, in `section`. */
export const failedAt = (problem, offset, section) =>
  new ComponentError(`invalid component: ${problem} (at byte offset ${offset}, in ${section})`, offset, section);
