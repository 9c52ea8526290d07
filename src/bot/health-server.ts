import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerHealthz, type HealthProbe } from '../adapters/adapter-module.js';
import type { Logger } from '../log/logger.js';
import type { BackgroundJob } from './background-job.js';

/**
 * Answers GET (or HEAD) /healthz with 200 and "healthy: …", or 503 and
 * "unhealthy: <why>", whatever asks: a load balancer, Kubernetes, an uptime
 * monitor. Slack's HTTP receiver answers its own /healthz the same way.
 */

export interface HealthServer extends BackgroundJob {
  /** Where it listens once started (tests start it on port 0). */
  address(): AddressInfo | null;
}

/** A small HTTP server with one route, /healthz: for bots that open no port of their own (Socket Mode, Discord). */
export function createHealthServer(options: {
  port: number;
  host: string;
  probe: HealthProbe;
  logger: Logger;
}): HealthServer {
  let server: Server | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/healthz') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('not found: this port serves GET /healthz\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('use GET /healthz\n');
    } else {
      // The probe's failures are its answer (503); only a broken response is left, and it is closed.
      answerHealthz(options.probe, res).catch(() => res.destroy());
    }
  };
  return {
    name: 'health-server',
    address: () => (server?.address() as AddressInfo | null) ?? null,
    async start() {
      const listening = createServer(handle);
      await new Promise<void>((resolve, reject) => {
        listening.once('error', (err: NodeJS.ErrnoException) =>
          reject(
            new Error(
              `HEALTH_PORT: cannot listen on ${options.host}:${options.port} (${err.code ?? err.message}); pick a free port`,
              { cause: err },
            ),
          ),
        );
        listening.listen(options.port, options.host, resolve);
      });
      server = listening;
      const { address, port } = listening.address() as AddressInfo;
      options.logger.info({ address, port }, 'health check served at /healthz');
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

/**
 * HEALTH_PORT (opt-in) and HEALTH_HOST (default all interfaces, so `docker run -p`
 * and orchestrators reach it; 127.0.0.1 keeps it on the machine). Null when
 * HEALTH_PORT is unset or empty; throws, naming the variable, when it is not a port.
 */
export function healthListenFromEnv(env: NodeJS.ProcessEnv): { port: number; host: string } | null {
  const raw = env.HEALTH_PORT?.trim();
  if (!raw) return null;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new Error(`HEALTH_PORT="${raw}" is not a port number: use 1–65535 (e.g. HEALTH_PORT=8080), or unset it`);
  }
  return { port, host: env.HEALTH_HOST?.trim() || '0.0.0.0' };
}
