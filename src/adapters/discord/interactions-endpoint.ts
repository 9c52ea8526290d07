import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../../log/logger.js';
import { answerHealthz, type HealthProbe } from '../adapter-module.js';
import { interactionPayloadSchema, type CommandPayload } from './interaction-payload.js';
import { checkSignature, publicKeyFromHex } from './interaction-signature.js';

/** Where Discord posts interactions (the Interactions Endpoint URL's path). */
export const INTERACTIONS_PATH = '/discord/interactions';

/** Interactions are a few KB; anything this large is not Discord. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Writes the interaction response (the HTTP answer) once, resolving when it has been handed to the socket. */
export type Respond = (body: object) => Promise<void>;

export interface InteractionsEndpointOptions {
  /** DISCORD_PUBLIC_KEY: the application's Ed25519 public key, 64 hex characters. */
  publicKey: string;
  port: number;
  /** Default: every interface. */
  host?: string;
  logger: Logger;
  /** A command or autocomplete, signed and checked: answer it through `respond`. */
  onCommand: (payload: CommandPayload, respond: Respond) => Promise<void>;
  /** Served at GET /healthz for the load balancer. */
  health?: HealthProbe;
  now?: () => number;
}

/**
 * Discord's HTTP interactions on a node:http server: each request's Ed25519
 * signature and timestamp are checked (401 otherwise, as Discord requires: it
 * sends badly signed requests itself when the URL is saved, to test this), the
 * body is checked with zod, PING is answered with PONG, and commands go to the
 * adapter. Stateless, so any number of replicas can sit behind a load balancer.
 */
export class InteractionsEndpoint {
  private readonly key: KeyObject;
  private server: Server | undefined;

  constructor(private readonly options: InteractionsEndpointOptions) {
    this.key = publicKeyFromHex(options.publicKey);
  }

  /** Where it listens, once started. */
  get address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  /** Listens; the address says the port (the one asked for, or the one given for port 0). */
  async start(): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      throw new Error(
        `Discord: cannot listen on port ${this.options.port} (DISCORD_INTERACTIONS_PORT) for interactions: ${err.code ?? err.message}; choose a free port or stop what holds it.`,
        { cause: err },
      );
    });
    this.server = server;
    return server.address() as AddressInfo;
  }

  /** Stops accepting requests; answers already being written finish. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const log = this.options.logger;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return answerHealthz(this.options.health, res);
    if (path !== INTERACTIONS_PATH)
      return refuse(req, res, 404, `not found; Discord interactions go to POST ${INTERACTIONS_PATH}`);
    if (req.method !== 'POST') return refuse(req, res, 405, `use POST ${INTERACTIONS_PATH}`);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return refuse(req, res, 413, `body over ${MAX_BODY_BYTES} bytes`);
    }
    const verdict = checkSignature(
      this.key,
      { signature: header(req, 'x-signature-ed25519'), timestamp: header(req, 'x-signature-timestamp') },
      body,
      (this.options.now ?? Date.now)(),
    );
    if (!verdict.ok) {
      log.warn({ path, from: req.socket.remoteAddress }, `refused a Discord interaction request: ${verdict.why}`);
      return refuse(req, res, 401, 'invalid request signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(req, res, 400, 'the body is not JSON');
    }
    const parsed = interactionPayloadSchema.safeParse(json);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      log.warn({ path }, `refused a signed Discord interaction dealbot cannot read: ${why}`);
      return refuse(req, res, 400, `unsupported interaction: ${why}`);
    }
    const payload = parsed.data;
    if (payload.type === 1) return void send(res, { type: 1 });
    let responded = false;
    const respond: Respond = (answer) => {
      if (responded) return Promise.reject(new Error('this interaction was already answered over HTTP'));
      responded = true;
      return send(res, answer);
    };
    try {
      await this.options.onCommand(payload, respond);
    } catch (err) {
      log.error({ err, interaction: payload.id }, 'discord interaction failed');
    }
    if (!responded) refuse(req, res, 500, 'the interaction was not answered');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, body: object): Promise<void> {
  return new Promise((resolve, reject) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body), () => resolve());
    res.once('error', reject);
  });
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  req.resume();
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}
