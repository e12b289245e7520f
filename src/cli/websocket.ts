/**
 * A small WebSocket client (RFC 6455) on node:http, enough to talk to Node's inspector: the
 * opening handshake, masked text frames out, text frames in (fragmented or not), ping/pong
 * and the close handshake. Node 20 has no global WebSocket without a flag, and the core keeps
 * no runtime dependencies, so `asyncio-ts ps` carries its own.
 */

import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import type { Socket } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** An open connection: send text, receive text messages, close. */
export class WebSocketClient {
  readonly #socket: Socket;
  #buffered: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #closed = false;
  readonly #messages: string[] = [];
  #waiting: { resolve: (message: string) => void; reject: (error: Error) => void } | null = null;
  #failure: Error | null = null;

  private constructor(socket: Socket, head: Buffer) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("error", (error) => this.#fail(error));
    socket.on("close", () => this.#fail(new Error("the WebSocket connection closed")));
    if (head.length > 0) this.#receive(head);
  }

  /** Opens `url` (`ws://host:port/path`); rejects if the server refuses the upgrade. */
  static connect(url: string, timeoutMs: number): Promise<WebSocketClient> {
    const target = new URL(url);
    if (target.protocol !== "ws:") {
      return Promise.reject(new Error(`only ws:// URLs are supported, got ${url}`));
    }
    const key = randomBytes(16).toString("base64");
    return new Promise((resolve, reject) => {
      const req = request({
        host: target.hostname,
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        headers: {
          Connection: "Upgrade",
          Upgrade: "websocket",
          "Sec-WebSocket-Key": key,
          "Sec-WebSocket-Version": "13",
        },
        timeout: timeoutMs,
      });
      req.on("timeout", () => req.destroy(new Error(`no WebSocket answer from ${url}`)));
      req.on("error", reject);
      req.on("response", (response) => {
        response.resume();
        reject(new Error(`${url} refused the WebSocket upgrade (HTTP ${response.statusCode})`));
      });
      req.on("upgrade", (response, socket: Socket, head: Buffer) => {
        const expected = createHash("sha1")
          .update(key + GUID)
          .digest("base64");
        if (response.headers["sec-websocket-accept"] !== expected) {
          socket.destroy();
          reject(new Error(`${url} answered the upgrade with a wrong Sec-WebSocket-Accept`));
          return;
        }
        socket.setNoDelay(true);
        resolve(new WebSocketClient(socket, head));
      });
      req.end();
    });
  }

  /** Sends `text` as one masked text frame. */
  send(text: string): void {
    if (this.#closed) throw new Error("the WebSocket connection is closed");
    this.#socket.write(encodeFrame(OP_TEXT, Buffer.from(text, "utf8")));
  }

  /** The next text message; rejects when the connection fails or closes first. */
  receive(): Promise<string> {
    const message = this.#messages.shift();
    if (message !== undefined) return Promise.resolve(message);
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** Sends a close frame and ends the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.end(encodeFrame(OP_CLOSE, Buffer.from([0x03, 0xe8])));
  }

  #receive(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    for (;;) {
      const frame = decodeFrame(this.#buffered);
      if (frame === null) return;
      this.#buffered = this.#buffered.subarray(frame.length);
      this.#handle(frame.fin, frame.opcode, frame.payload);
    }
  }

  #handle(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OP_PING) {
      if (!this.#closed) this.#socket.write(encodeFrame(OP_PONG, payload));
      return;
    }
    if (opcode === OP_PONG) return;
    if (opcode === OP_CLOSE) {
      this.close();
      this.#fail(new Error("the server closed the WebSocket connection"));
      return;
    }
    if (opcode === OP_TEXT || opcode === OP_BINARY || opcode === OP_CONTINUATION) {
      this.#fragments.push(payload);
      if (!fin) return;
      const message = Buffer.concat(this.#fragments).toString("utf8");
      this.#fragments = [];
      const waiting = this.#waiting;
      this.#waiting = null;
      if (waiting !== null) waiting.resolve(message);
      else this.#messages.push(message);
    }
  }

  #fail(error: Error): void {
    if (this.#failure === null) this.#failure = error;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(error);
  }
}

/** A client frame: FIN set, masked with a random key as RFC 6455 requires of clients. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + 4);
  header[0] = 0x80 | opcode;
  if (lengthBytes === 0) header[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(header, 2 + lengthBytes);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, masked]);
}

/** The first whole frame in `data`, or null when more bytes are needed. */
function decodeFrame(
  data: Buffer,
): { fin: boolean; opcode: number; payload: Buffer; length: number } | null {
  if (data.length < 2) return null;
  const fin = (data[0]! & 0x80) !== 0;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return null;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return null;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return null;
  let payload = data.subarray(offset, offset + length);
  if (masked) {
    const unmasked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) unmasked[i] = payload[i]! ^ data[maskOffset + (i & 3)]!;
    payload = unmasked;
  }
  return { fin, opcode, payload, length: offset + length };
}
