import type { GatewayIdentifyData, GatewayResumeData } from 'discord.js';
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * A minimal Discord gateway (JSON encoding, no compression) on a node:http server's
 * upgrade, with just enough WebSocket framing for discord.js's client: HELLO,
 * heartbeat ACKs, IDENTIFY → READY, RESUME → RESUMED, and dispatches the test sends.
 * Lets a test run the adapter's real start() (login) and see its intents.
 */

export interface FakeGateway {
  /** Every IDENTIFY payload's d (intents, token, properties). */
  identifies: GatewayIdentifyData[];
  /** Every RESUME payload's d (token, session_id, seq). */
  resumes: GatewayResumeData[];
  /** Sends a dispatch (op 0) to every open connection. */
  dispatch(event: string, data: unknown): void;
  /** Connections open now (a replica that gave up the gateway has closed its own). */
  openConnections(): number;
  /** Closes every connection with a close code (4000 = unknown error: clients resume). */
  drop(code?: number): void;
  /** Resolves when a connection has been identified or resumed this many times in total. */
  waitForSessions(count: number, timeoutMs?: number): Promise<void>;
  /** Destroys every connection (upgraded sockets outlive server.close). */
  close(): void;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function attachFakeGateway(server: Server, botUserId: string): FakeGateway {
  const sockets = new Set<Duplex>();
  const identifies: GatewayIdentifyData[] = [];
  const resumes: GatewayResumeData[] = [];
  let seq = 0;
  let sessions = 0;
  const sessionWaiters: { count: number; resolve: () => void }[] = [];
  const sessionStarted = () => {
    sessions += 1;
    for (const w of sessionWaiters.filter((w) => sessions >= w.count)) w.resolve();
  };

  const send = (socket: Duplex, payload: unknown) => socket.write(frame(0x1, Buffer.from(JSON.stringify(payload))));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    const port = (server.address() as { port: number }).port;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let f = readFrame(buffered); f; f = readFrame(buffered)) {
        buffered = buffered.subarray(f.length);
        if (f.opcode === 0x8) {
          socket.end(frame(0x8, f.payload.subarray(0, 2)));
          continue;
        }
        if (f.opcode === 0x9) socket.write(frame(0xa, f.payload));
        if (f.opcode !== 0x1) continue;
        const message = JSON.parse(f.payload.toString('utf8'));
        if (message.op === 1) send(socket, { op: 11 });
        else if (message.op === 2) {
          identifies.push(message.d);
          const user = {
            id: botUserId,
            username: 'dealbot',
            discriminator: '0',
            global_name: null,
            avatar: null,
            bot: true,
          };
          send(socket, {
            op: 0,
            t: 'READY',
            s: ++seq,
            d: {
              v: 10,
              user,
              guilds: [],
              session_id: `session-${identifies.length}`,
              resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
              shard: [0, 1],
              application: { id: botUserId, flags: 0 },
            },
          });
          sessionStarted();
        } else if (message.op === 6) {
          resumes.push(message.d);
          send(socket, { op: 0, t: 'RESUMED', s: ++seq, d: {} });
          sessionStarted();
        }
      }
    });
    send(socket, { op: 10, d: { heartbeat_interval: 45_000 } });
  });

  return {
    identifies,
    resumes,
    openConnections: () => sockets.size,
    dispatch(event, data) {
      for (const s of sockets) send(s, { op: 0, t: event, s: ++seq, d: data });
    },
    drop(code = 4000) {
      const reason = Buffer.alloc(2);
      reason.writeUInt16BE(code);
      for (const s of sockets) s.end(frame(0x8, reason));
    },
    close() {
      for (const s of sockets) s.destroy();
    },
    waitForSessions(count, timeoutMs = 10_000) {
      if (sessions >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${sessions} gateway sessions within ${timeoutMs} ms`)),
          timeoutMs,
        );
        sessionWaiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** A server frame: final, unmasked. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** One client frame (masked, unfragmented, as the ws client sends them), or null until it is complete. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (buffer.length < 2) return null;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return null;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ buffer[maskOffset + (i % 4)]!;
  return { opcode, payload, length: offset + length };
}
