// The one place JS spells WASI preview-1 errno numbers and the engine's result sentinels
// (docs/engine-abi.md); every other module imports them from here.

/** WASI errno names in number order: NAMES[n] is the name of errno n (wasi_snapshot_preview1). */
const NAMES = [
  "SUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN", "EALREADY",
  "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED", "ECONNREFUSED", "ECONNRESET",
  "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT", "EFBIG", "EHOSTUNREACH", "EIDRM",
  "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN", "EISDIR", "ELOOP", "EMFILE", "EMLINK",
  "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS",
  "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK", "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC",
  "ENOSYS", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY",
  "ENXIO", "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE",
  "ERANGE", "EROFS", "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
];

/** WASI errno numbers by name: `ERRNO.ENOENT === 44`. */
export const ERRNO = Object.freeze(Object.fromEntries(NAMES.map((name, n) => [name, n])));

/** The name of WASI errno `n` (`"ENOENT"` for 44), or `E<n>` for a number WASI does not define. */
export const errnoName = (n) => NAMES[n] ?? `E${n}`;

/** The WASI errno of a Node/libuv error code (`"ENOENT"`), or undefined; EOPNOTSUPP is ENOTSUP. */
export const errnoOfCode = (code) => (code === "EOPNOTSUPP" ? ERRNO.ENOTSUP : typeof code === "string" && Object.hasOwn(ERRNO, code) ? ERRNO[code] : undefined);

/** Results an engine call returns besides an errno (all above 0xffff). */
export const SENTINEL = Object.freeze({
  /** proc_exit ran: read the code with `exit_code(ctx)`. */
  EXIT: 0x10000,
  /** The call must wait for something only JS can await, and changed nothing. */
  BLOCKED: 0x10001,
  /** The context id names a freed context. */
  DISPOSED: 0x10002,
});
