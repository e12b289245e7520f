/**
 * The errors of the I/O layer, under Python's names: `OSError` and its `ConnectionError`
 * family (which keep Node's error `code`, `errno` and `syscall`), TLS errors, and the two
 * stream errors of asyncio/exceptions.py (`IncompleteReadError`, `LimitOverrunError`).
 * `osErrorFrom` turns a Node system error into the matching class.
 */

/** What Node puts on a system error (`ECONNREFUSED`, `EPIPE`, …). */
interface NodeSystemError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
  address?: string;
  port?: number;
}

/**
 * Python's `OSError`: a failed system call. `code` is Node's error code (`"ECONNREFUSED"`),
 * `errno` its number; `cause` holds Node's original error.
 *
 * @example
 * ```ts
 * try { yield* asyncio.openConnection("127.0.0.1", 1); }
 * catch (e) { if (e instanceof asyncio.OSError) console.log(e.code); }
 * ```
 */
export class OSError extends Error {
  /** Node's error code, as `"ECONNRESET"`; undefined when the error did not come from Node. */
  readonly code: string | undefined;
  /** The system error number (negative on Linux, as Node reports it), when known. */
  readonly errno: number | undefined;
  /** The system call that failed, when known. */
  readonly syscall: string | undefined;

  constructor(
    message: string,
    options: ErrorOptions & { code?: string; errno?: number; syscall?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.errno = options.errno;
    this.syscall = options.syscall;
  }
}

/**
 * Python's `ConnectionError`: the base of the connection failures below.
 *
 * @example
 * ```ts
 * try { yield* asyncio.openConnection("127.0.0.1", port); }
 * catch (e) { if (e instanceof asyncio.ConnectionError) console.log("connection failed:", e.code); else throw e; }
 * ```
 */
export class ConnectionError extends OSError {}

/**
 * The peer refused the connection (`ECONNREFUSED`): nothing listens on that port.
 *
 * @example
 * ```ts
 * try { yield* asyncio.openConnection("127.0.0.1", 1); }
 * catch (e) { if (e instanceof asyncio.ConnectionRefusedError) console.log("nothing listens there"); else throw e; }
 * ```
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * The peer reset the connection (`ECONNRESET`).
 *
 * @example
 * ```ts
 * try { yield* reader.readexactly(4); }
 * catch (e) { if (e instanceof asyncio.ConnectionResetError) console.log("peer reset:", e.code); else throw e; }
 * ```
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * The connection was aborted on this side (`ECONNABORTED`, a TLS handshake timeout).
 *
 * @example
 * ```ts
 * try { yield* asyncio.openConnection(host, 443, { ssl: true, sslHandshakeTimeout: 5 }); }
 * catch (e) { if (e instanceof asyncio.ConnectionAbortedError) console.log(e.message); else throw e; }
 * ```
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * Writing to a connection or pipe whose other end is closed (`EPIPE`).
 *
 * @example
 * ```ts
 * try { proc.stdin!.write(data); yield* proc.stdin!.drain(); }
 * catch (e) { if (!(e instanceof asyncio.BrokenPipeError)) throw e; }
 * ```
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * A file or program that does not exist (`ENOENT`): a subprocess whose program is missing.
 *
 * @example
 * ```ts
 * try { yield* asyncio.createSubprocessExec("no-such-program"); }
 * catch (e) { if (e instanceof asyncio.FileNotFoundError) console.log("not installed"); else throw e; }
 * ```
 */
export class FileNotFoundError extends OSError {}

/**
 * Not allowed (`EACCES`, `EPERM`): a program that is not executable, a privileged port.
 *
 * @example
 * ```ts
 * try { yield* asyncio.startServer(handle, "0.0.0.0", 80); }
 * catch (e) { if (e instanceof asyncio.PermissionError) console.log("needs privileges"); else throw e; }
 * ```
 */
export class PermissionError extends OSError {}

/**
 * No such process (`ESRCH`): signalling a process that is gone.
 *
 * @example
 * ```ts
 * try { proc.kill(); } catch (e) { if (!(e instanceof asyncio.ProcessLookupError)) throw e; }
 * ```
 */
export class ProcessLookupError extends OSError {}

/**
 * A name that does not resolve (Python's `socket.gaierror`): `ENOTFOUND`, `EAI_AGAIN` …
 *
 * @example
 * ```ts
 * try { yield* loop.getaddrinfo("no-such-host.invalid", 80); }
 * catch (e) { if (e instanceof asyncio.GaiError) console.log("unknown host"); else throw e; }
 * ```
 */
export class GaiError extends OSError {}

/**
 * A TLS error: the handshake or the TLS layer failed. Node's `code` is kept.
 *
 * @example
 * ```ts
 * try { yield* asyncio.openConnection(host, 443, { ssl: true }); }
 * catch (e) { if (e instanceof asyncio.SSLError) console.log("TLS failed:", e.code); else throw e; }
 * ```
 */
export class SSLError extends OSError {}

/**
 * The peer's certificate did not verify (unknown issuer, wrong host name, expired).
 *
 * @example
 * ```ts
 * try { yield* asyncio.openConnection("self-signed.test", 443, { ssl: true }); }
 * catch (e) { if (e instanceof asyncio.SSLCertVerificationError) console.log(e.code); else throw e; }
 * ```
 */
export class SSLCertVerificationError extends SSLError {}

/**
 * `readexactly()` or `readuntil()` reached the end of the stream first. `partial` holds the
 * bytes read before it (they are no longer in the stream's buffer); `expected` is how many were
 * asked for, or null for `readuntil()`.
 *
 * @example
 * ```ts
 * try { yield* reader.readexactly(4); }
 * catch (e) { if (e instanceof asyncio.IncompleteReadError) console.log(e.partial.length); }
 * ```
 */
export class IncompleteReadError extends Error {
  readonly partial: Buffer;
  readonly expected: number | null;

  constructor(partial: Buffer, expected: number | null) {
    super(
      `${partial.length} bytes read on a total of ${expected === null ? "undefined" : expected} expected bytes`,
    );
    this.name = "IncompleteReadError";
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * `readuntil()` found no separator within the stream's limit. The data stays in the buffer;
 * `consumed` is how many bytes to consume to go past what was searched.
 *
 * @example
 * ```ts
 * try { yield* reader.readuntil("\r\n"); }
 * catch (e) { if (e instanceof asyncio.LimitOverrunError) yield* reader.readexactly(e.consumed); }
 * ```
 */
export class LimitOverrunError extends Error {
  readonly consumed: number;

  constructor(message: string, consumed: number) {
    super(message);
    this.name = "LimitOverrunError";
    this.consumed = consumed;
  }
}

const ERRORS_BY_CODE: Record<string, typeof OSError> = {
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  ECONNABORTED: ConnectionAbortedError,
  EPIPE: BrokenPipeError,
  ERR_STREAM_WRITE_AFTER_END: BrokenPipeError,
  ERR_STREAM_DESTROYED: BrokenPipeError,
  ERR_TLS_HANDSHAKE_TIMEOUT: ConnectionAbortedError,
  ENOENT: FileNotFoundError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  ESRCH: ProcessLookupError,
  ENOTFOUND: GaiError,
  EAI_AGAIN: GaiError,
  EAI_FAIL: GaiError,
  EAI_NONAME: GaiError,
  ENODATA: GaiError,
};

const CERT_ERRORS = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

/**
 * @internal Wraps a Node error in the asyncio-ts class for its code (an OSError of ours is
 * returned as is; an error without a code is returned unchanged).
 */
export function osErrorFrom(error: unknown): unknown {
  if (error instanceof OSError || !(error instanceof Error)) return error;
  const nodeError = error as NodeSystemError;
  const code = nodeError.code;
  if (code === undefined) return error;
  const options = { cause: error, code, errno: nodeError.errno, syscall: nodeError.syscall };
  const ErrorClass = ERRORS_BY_CODE[code];
  if (ErrorClass !== undefined) return new ErrorClass(error.message, options);
  if (CERT_ERRORS.has(code)) {
    return new SSLCertVerificationError(`certificate verify failed: ${error.message}`, options);
  }
  if (code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS")) {
    return new SSLError(error.message, options);
  }
  if (nodeError.syscall !== undefined || /^E[A-Z]+$/.test(code)) {
    return new OSError(error.message, options);
  }
  return error;
}
