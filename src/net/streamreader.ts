/**
 * StreamReader (asyncio/streams.py): the buffer between a connection and the coroutine that
 * reads it. The protocol feeds it Node's Buffers; `read`, `readline`, `readuntil` and
 * `readexactly` take from it, waiting when it holds too little.
 *
 * The buffer is a list of the received Buffers, never copied on arrival. A read that falls
 * within the first of them returns a view of it (no copy); one that spans several copies
 * once. `readuntil` merges what it searches into one Buffer, so no separator is missed across
 * chunk boundaries, and remembers how far it searched.
 *
 * `limit` bounds what the stream holds: once the buffer passes twice the limit the transport
 * stops reading (TCP holds the peer back) until a read brings it back to the limit, as in
 * asyncio; a line longer than the limit fails with LimitOverrunError instead of growing the
 * buffer without end.
 */

import { type AsyncGen, asyncGenerator, emit } from "../core/asyncgen.ts";
import type { Awaitable, Yielded } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { RuntimeError, ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { foreignWorkBegin, foreignWorkEnd, HandSteppedCall, recycle } from "../core/lowlevel.ts";
import { checkInteger, checkOptions } from "../core/validate.ts";
import { IncompleteReadError, LimitOverrunError } from "./errors.ts";
import type { ReadTransport } from "./transports.ts";

/**
 * The default `limit` of streams: 64 KiB.
 *
 * @example
 * ```ts
 * const [reader] = yield* asyncio.openConnection(host, port, { limit: 4 * asyncio.DEFAULT_LIMIT });
 * ```
 */
export const DEFAULT_LIMIT = 64 * 1024;

const EMPTY = Buffer.alloc(0);

/** What `StreamReader.statistics()` reports. */
export interface StreamReaderStatistics {
  /** Bytes in the buffer. */
  buffered: number;
  limit: number;
  eof: boolean;
  /** Reading from the transport is paused because the buffer is full. */
  paused: boolean;
  /** A read waits for data. */
  waiting: boolean;
}

/**
 * The reading end of a connection.
 *
 * Only one coroutine may wait on a reader at a time (a second gets a RuntimeError), as in
 * asyncio.
 *
 * @example
 * ```ts
 * const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", 8888);
 * const line = yield* reader.readline();         // Buffer ending in "\n", or shorter at EOF
 * const header = yield* reader.readexactly(4);
 * const rest = yield* reader.read();             // everything up to EOF
 * ```
 */
export class StreamReader {
  /** @internal */ readonly _loop: EventLoop;
  readonly #limit: number;
  #chunks: Buffer[] = [];
  /** Offset of the first unread byte in `#chunks[0]`. */
  #offset = 0;
  #size = 0;
  #eof = false;
  #waiter: Future<void> | null = null;
  /** A finished wait's future, made pending again for the next wait. */
  #spare: Future<void> | null = null;
  #exception: unknown = null;
  #transport: ReadTransport | null = null;
  #paused = false;

  /**
   * A reader with the given buffer `limit` (bytes, default 64 KiB), on the running loop.
   * Streams made by `openConnection` and `startServer` come with one.
   */
  constructor(options: { limit?: number; loop?: EventLoop } = {}) {
    checkOptions(options, "StreamReader()", READER_OPTIONS);
    this.#limit = checkLimit(options.limit);
    this._loop = options.loop ?? getRunningLoop();
  }

  /** The buffer limit in bytes. */
  get limit(): number {
    return this.#limit;
  }

  /** The error the connection failed with, or null. */
  exception(): unknown {
    return this.#exception;
  }

  /** Fails the reader: the waiting read and every later one throw `error`. */
  setException(error: unknown): void {
    this.#exception = error;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (!waiter.cancelled()) waiter.setException(error);
    }
  }

  /** @internal The transport to pause and resume (set once, by the protocol). */
  setTransport(transport: ReadTransport): void {
    if (this.#transport !== null) throw new RuntimeError("Transport already set");
    this.#transport = transport;
  }

  /** Marks the end of the stream: reads return what is left, then nothing. */
  feedEof(): void {
    this.#eof = true;
    this.#wakeup();
  }

  /** True when the end of the stream was reached and the buffer is empty. */
  atEof(): boolean {
    return this.#eof && this.#size === 0;
  }

  /** Adds received bytes to the buffer (the protocol calls this; the Buffer is kept, not copied). */
  feedData(data: Buffer): void {
    if (!Buffer.isBuffer(data)) data = toBuffer(data);
    if (this.#eof) throw new RuntimeError("feedData() after feedEof()");
    const length = data.length;
    if (length === 0) return;
    this.#chunks.push(data);
    this.#size += length;
    this.#wakeup();
    if (this.#transport !== null && !this.#paused && this.#size > 2 * this.#limit) {
      this.#transport.pauseReading();
      this.#paused = true;
    }
  }

  /**
   * Reads up to `n` bytes, as soon as at least one is there; with `n` < 0 (the default),
   * reads to the end of the stream. Returns an empty Buffer at EOF.
   *
   * Cancel safety: safe; nothing is taken from the buffer until the read returns.
   */
  *read(n = -1): Awaitable<Buffer> {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new TypeError(
        `read(n): n must be an integer (a negative one reads to the end), got ${formatValue(n)}`,
      );
    }
    if (this.#exception !== null) throw this.#exception;
    if (n === 0) return EMPTY;
    if (n < 0) {
      const blocks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const block = yield* this.read(this.#limit);
        if (block.length === 0) break;
        blocks.push(block);
        total += block.length;
      }
      return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks, total);
    }
    if (this.#size === 0 && !this.#eof) {
      const waiter = this.#beginWait("read");
      try {
        yield* waiter;
      } finally {
        this._endWait(waiter);
      }
    }
    const data = this.#take(Math.min(n, this.#size));
    this.#maybeResume();
    return data;
  }

  /**
   * Reads exactly `n` bytes; IncompleteReadError (with the `partial` bytes) if the stream
   * ends first. Like a coroutine, it does nothing until awaited, and is awaited once.
   *
   * Cancel safety: safe; the bytes stay in the buffer until all `n` are there.
   */
  readexactly(n: number): Awaitable<Buffer> {
    checkInteger(n, "readexactly(n)", "n", 0);
    // A small iterator rather than a generator: this is the per-message call of binary protocols.
    return new ReadExactly(this, n);
  }

  /** @internal One step of `readexactly(n)`: the bytes (done), or a wait begun for `op`. */
  _readexactlyStep(n: number, op: ReadExactly): IteratorResult<Yielded, Buffer> {
    if (this.#exception !== null) throw this.#exception;
    if (n === 0) return { done: true, value: EMPTY };
    if (this.#size >= n) {
      const data = this.#take(n);
      this.#maybeResume();
      return { done: true, value: data };
    }
    if (this.#eof) throw new IncompleteReadError(this.#take(this.#size), n);
    const waiter = this.#beginWait("readexactly");
    op._waiter = waiter;
    // Pending, so this is the suspension (the future itself) that the Task waits on.
    return waiter[Symbol.iterator]().next() as IteratorYieldResult<Yielded>;
  }

  /**
   * Reads one line, ending in `\n`; at EOF, the incomplete last line (or an empty Buffer).
   * A line longer than the limit throws ValueError and is dropped from the buffer.
   *
   * Cancel safety: safe; a line is taken from the buffer only when it is returned.
   */
  *readline(): Awaitable<Buffer> {
    try {
      return yield* this.readuntil(NEWLINE);
    } catch (error) {
      if (error instanceof IncompleteReadError) return error.partial;
      if (error instanceof LimitOverrunError) {
        const first = this.#merged();
        const at = this.#offset + error.consumed;
        if (first !== null && at < first.length && first[at] === 0x0a)
          this.#skip(error.consumed + 1);
        else this.#skip(this.#size);
        this.#maybeResume();
        throw new ValueError(error.message);
      }
      throw error;
    }
  }

  /**
   * Reads up to and including `separator` (or the first of several to end, shortest
   * winning). LimitOverrunError if no separator is found within the limit (the data stays in
   * the buffer); IncompleteReadError if the stream ends first (the buffer is emptied into its
   * `partial`).
   *
   * Cancel safety: safe; nothing is taken until a separator is found.
   */
  *readuntil(
    separator: Uint8Array | string | readonly (Uint8Array | string)[] = NEWLINE,
  ): Awaitable<Buffer> {
    const separators = toSeparators(separator);
    const minLength = separators[0]!.length;
    const maxLength = separators[separators.length - 1]!.length;
    if (this.#exception !== null) throw this.#exception;
    let searched = 0;
    let matchStart = -1;
    let matchEnd = -1;
    for (;;) {
      const size = this.#size;
      if (size - searched >= minLength) {
        const buffer = this.#merged()!;
        const base = this.#offset;
        for (const sep of separators) {
          const found = buffer.indexOf(sep, base + searched);
          if (found !== -1) {
            const end = found - base + sep.length;
            if (matchEnd === -1 || end < matchEnd) {
              matchEnd = end;
              matchStart = found - base;
            }
          }
        }
        if (matchEnd !== -1) break;
        searched = Math.max(0, size + 1 - maxLength);
        if (searched > this.#limit) {
          throw new LimitOverrunError(
            "Separator is not found, and chunk exceed the limit",
            searched,
          );
        }
      }
      if (this.#eof) throw new IncompleteReadError(this.#take(this.#size), null);
      const waiter = this.#beginWait("readuntil");
      try {
        yield* waiter;
      } finally {
        this._endWait(waiter);
      }
    }
    if (matchStart > this.#limit) {
      throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
    }
    const data = this.#take(matchEnd);
    this.#maybeResume();
    return data;
  }

  /**
   * The lines of the stream, until EOF, as an async generator (Python's `async for line in
   * reader`, in a coroutine).
   *
   * Cancel safety: as `readline()`: a line is taken only when it is produced.
   *
   * @example
   * ```ts
   * const lines = reader.lines();
   * for (let step = yield* lines.next(); !step.done; step = yield* lines.next()) {
   *   console.log(step.value.toString());
   * }
   * ```
   */
  lines(): AsyncGen<Buffer, void> {
    return readLines(this);
  }

  /**
   * Iterates the lines of the stream in plain async code (`for await`), until EOF. Each step
   * runs `readline()` as a task on the reader's loop, which must be running.
   *
   * @example
   * ```ts
   * for await (const line of reader) console.log(line.toString());
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: async () => {
        const line = await this._loop.createTask(this.readline());
        return line.length === 0 ? { done: true, value: undefined } : { done: false, value: line };
      },
    };
  }

  statistics(): StreamReaderStatistics {
    return {
      buffered: this.#size,
      limit: this.#limit,
      eof: this.#eof,
      paused: this.#paused,
      waiting: this.#waiter !== null,
    };
  }

  toString(): string {
    const parts = ["StreamReader"];
    if (this.#size > 0) parts.push(`${this.#size} bytes`);
    if (this.#eof) parts.push("eof");
    if (this.#limit !== DEFAULT_LIMIT) parts.push(`limit=${this.#limit}`);
    if (this.#waiter !== null) parts.push(`waiter=${this.#waiter}`);
    if (this.#exception !== null) parts.push(`exception=${formatValue(this.#exception)}`);
    if (this.#transport !== null) parts.push(`transport=${this.#transport}`);
    if (this.#paused) parts.push("paused");
    return `<${parts.join(" ")}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  #wakeup(): void {
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  #maybeResume(): void {
    if (this.#paused && this.#size <= this.#limit) {
      this.#paused = false;
      this.#transport!.resumeReading();
    }
  }

  /**
   * Starts a wait for data: the future a read yields on. The read ends the wait with
   * `_endWait` in a `finally` (no generator of its own: this is the per-message path).
   */
  #beginWait(funcName: string): Future<void> {
    if (this.#waiter !== null) {
      throw new RuntimeError(
        `${funcName}() called while another coroutine is already waiting for incoming data: read a stream from one task at a time`,
      );
    }
    // Waiting while paused would deadlock (readexactly(n) with n above the limit).
    if (this.#paused) {
      this.#paused = false;
      this.#transport!.resumeReading();
    }
    let waiter = this.#spare;
    if (waiter === null) waiter = this._loop.createFuture<void>();
    else this.#spare = null;
    this.#waiter = waiter;
    foreignWorkBegin(this._loop);
    return waiter;
  }

  /** @internal Ends a wait begun by `#beginWait` (reads call it in a `finally`). */
  _endWait(waiter: Future<void>): void {
    foreignWorkEnd(this._loop);
    if (this.#waiter === waiter) this.#waiter = null;
    // A wait that ended with data leaves a future no one else saw: the next wait reuses it.
    else if (recycle(waiter)) this.#spare = waiter;
  }

  /** Removes and returns the first `n` bytes (n ≤ size): a view when one chunk holds them. */
  #take(n: number): Buffer {
    if (n === 0) return EMPTY;
    const chunks = this.#chunks;
    const first = chunks[0]!;
    const start = this.#offset;
    const available = first.length - start;
    if (n <= available) {
      const data = start === 0 && n === first.length ? first : first.subarray(start, start + n);
      if (n === available) {
        chunks.shift();
        this.#offset = 0;
      } else {
        this.#offset = start + n;
      }
      this.#size -= n;
      return data;
    }
    const data = Buffer.allocUnsafe(n);
    let copied = 0;
    while (copied < n) {
      const chunk = chunks[0]!;
      const from = this.#offset;
      const count = Math.min(chunk.length - from, n - copied);
      chunk.copy(data, copied, from, from + count);
      copied += count;
      if (from + count === chunk.length) {
        chunks.shift();
        this.#offset = 0;
      } else {
        this.#offset = from + count;
      }
    }
    this.#size -= n;
    return data;
  }

  /** Drops the first `n` bytes. */
  #skip(n: number): void {
    this.#take(n);
  }

  /** Merges the buffered chunks into one (so a search sees them whole); null when empty. */
  #merged(): Buffer | null {
    const chunks = this.#chunks;
    if (chunks.length === 0) return null;
    if (chunks.length > 1) {
      const whole = Buffer.concat(
        this.#offset === 0 ? chunks : [chunks[0]!.subarray(this.#offset), ...chunks.slice(1)],
        this.#size,
      );
      this.#chunks = [whole];
      this.#offset = 0;
    }
    return this.#chunks[0]!;
  }
}

/** What `readexactly(n)` returns: steps through the read by hand (see `_readexactlyStep`). */
class ReadExactly extends HandSteppedCall<Buffer, StreamReader> {
  readonly #n: number;
  /** @internal The wait in progress. */
  _waiter: Future<void> | null = null;

  constructor(reader: StreamReader, n: number) {
    super(reader);
    this.#n = n;
  }

  _call(): string {
    return "reader.readexactly(n)";
  }

  /** Always its own iterator: each step reads, or waits on the reader's future. */
  _begin(): Iterator<Yielded, Buffer, unknown> {
    return this;
  }

  next(sent?: unknown): IteratorResult<Yielded, Buffer> {
    const waiter = this._waiter;
    if (waiter !== null) {
      // Resumed after a wait: its outcome (a CancelledError, the stream's error) surfaces here.
      this._waiter = null;
      try {
        waiter[Symbol.iterator]().next(sent);
      } finally {
        this._owner._endWait(waiter);
      }
    }
    return this._owner._readexactlyStep(this.#n, this);
  }

  protected override _abandon(): void {
    const waiter = this._waiter;
    if (waiter === null) return;
    this._waiter = null;
    this._owner._endWait(waiter);
  }
}

const NEWLINE = Buffer.from("\n");

const readLines = asyncGenerator(function* lines(reader: StreamReader) {
  for (let line = yield* reader.readline(); line.length > 0; line = yield* reader.readline()) {
    yield* emit(line);
  }
});

/** @internal A stream buffer limit: a positive number of bytes (default 64 KiB). */
export function checkLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit)) {
    throw new TypeError(
      `limit must be a positive integer (a number of bytes), got ${formatValue(limit)}`,
    );
  }
  if (limit <= 0) {
    throw new ValueError(
      `Limit cannot be <= 0: limit must be a positive integer (a number of bytes), got ${limit}`,
    );
  }
  return limit;
}

const READER_OPTIONS = ["limit", "loop"] as const;

/** `feedData()`'s bytes as a Buffer: a Uint8Array is viewed, not copied; anything else refused. */
function toBuffer(data: unknown): Buffer {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(
    `feedData(data): data must be a Buffer or Uint8Array, got ${formatValue(data)}`,
  );
}

function toSeparators(separator: unknown): Buffer[] {
  const list = Array.isArray(separator) ? separator : [separator];
  if (list.length === 0) throw new ValueError("Separator should contain at least one element");
  const buffers = list.map((item: unknown) => {
    if (typeof item === "string") return Buffer.from(item);
    if (item instanceof Uint8Array)
      return Buffer.from(item.buffer, item.byteOffset, item.byteLength);
    throw new TypeError(
      `readuntil() separator must be a Uint8Array, a string, or an array of them, got ${formatValue(item)}`,
    );
  });
  buffers.sort((a, b) => a.length - b.length);
  if (buffers[0]!.length === 0)
    throw new ValueError("Separator should be at least one-byte string");
  return buffers;
}
