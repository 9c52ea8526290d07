import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The server side of a WebSocket (RFC 6455), just enough to play Slack's Socket
 * Mode endpoint in tests: text frames, ping/pong, close. No npm package needed.
 */
export interface FakeWebSocket {
  /** JSON messages the client sent, parsed. */
  received: unknown[];
  sendJson(value: unknown): void;
  /** Resolves with the first received message that passes `check`. */
  waitFor<T>(check: (m: unknown) => m is T, timeoutMs?: number): Promise<T>;
  close(): void;
  closed: Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptWebSocket(req: IncomingMessage, socket: Duplex): FakeWebSocket {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );

  const received: unknown[] = [];
  const waiters = new Set<() => void>();
  let buffer = Buffer.alloc(0);
  let closeSent = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  socket.on('close', () => resolveClosed());
  socket.on('error', () => resolveClosed());

  const frame = (opcode: number, payload: Buffer) => {
    const len = payload.length;
    const head =
      len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]);
    if (len > 0xffff) throw new Error('fake websocket: frame too long');
    if (!socket.destroyed) socket.write(Buffer.concat([head, payload]));
  };

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let len = buffer[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buffer.length < 4) return;
        len = buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buffer.length < 10) return;
        len = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      // Client frames are always masked.
      if (buffer.length < offset + 4 + len) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buffer = buffer.subarray(offset + 4 + len);
      if (opcode === 0x1) {
        received.push(JSON.parse(payload.toString('utf8')));
        for (const w of waiters) w();
      } else if (opcode === 0x9) frame(0xa, payload);
      else if (opcode === 0x8) {
        if (!closeSent) frame(0x8, payload.subarray(0, 2));
        closeSent = true;
        socket.end();
      }
    }
  });

  return {
    received,
    sendJson: (value) => frame(0x1, Buffer.from(JSON.stringify(value), 'utf8')),
    waitFor<T>(check: (m: unknown) => m is T, timeoutMs = 5000) {
      return new Promise<T>((resolve, reject) => {
        const look = () => {
          const found = received.find(check);
          if (found === undefined) return false;
          waiters.delete(look);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error('fake websocket: timed out waiting for a message'));
        }, timeoutMs);
        if (!look()) waiters.add(look);
      });
    },
    close() {
      if (!closeSent) frame(0x8, Buffer.from([0x03, 0xe8]));
      closeSent = true;
      socket.end();
    },
    closed,
  };
}
