import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer, healthListenFromEnv, type HealthServer } from '../../src/bot/health-server.js';
import { silentLogger } from '../../src/log/logger.js';

/** The HEALTH_PORT server: one route, the probe's verdict as the status code and one line. */
describe('health server (HEALTH_PORT)', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function serve(probe: () => { healthy: boolean; line: string }): Promise<string> {
    server = createHealthServer({ port: 0, host: '127.0.0.1', probe, logger: silentLogger() });
    await server.start();
    return `http://127.0.0.1:${server.address()!.port}`;
  }

  it('answers 503 with the reason when unhealthy, 200 when healthy, and never caches', async () => {
    let healthy = false;
    const base = await serve(() =>
      healthy ? { healthy, line: 'healthy: all good' } : { healthy, line: 'unhealthy: slack disconnected for 5m' },
    );
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(down.headers.get('cache-control')).toBe('no-store');
    expect(await down.text()).toBe('unhealthy: slack disconnected for 5m\n');
    healthy = true;
    const up = await fetch(`${base}/healthz?verbose=1`);
    expect(up.status).toBe(200);
    expect(await up.text()).toBe('healthy: all good\n');
  });

  it('answers 503 when the check itself throws (a closed database), 404 elsewhere, 405 for other methods', async () => {
    const base = await serve(() => {
      throw new Error('The database connection is not open');
    });
    const broken = await fetch(`${base}/healthz`);
    expect(broken.status).toBe(503);
    expect(await broken.text()).toBe('unhealthy: the health check failed: The database connection is not open\n');
    expect((await fetch(`${base}/`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says which address it could not take', async () => {
    const base = await serve(() => ({ healthy: true, line: 'healthy' }));
    const port = Number(new URL(base).port);
    const clash = createHealthServer({
      port,
      host: '127.0.0.1',
      probe: () => ({ healthy: true, line: '' }),
      logger: silentLogger(),
    });
    await expect(clash.start()).rejects.toThrow(
      `HEALTH_PORT: cannot listen on 127.0.0.1:${port} (EADDRINUSE); pick a free port`,
    );
  });
});

describe('healthListenFromEnv', () => {
  it('is off unless HEALTH_PORT is set; listens on every interface unless HEALTH_HOST says otherwise', () => {
    expect(healthListenFromEnv({})).toBeNull();
    expect(healthListenFromEnv({ HEALTH_PORT: ' ' })).toBeNull();
    expect(healthListenFromEnv({ HEALTH_PORT: '8080' })).toEqual({ port: 8080, host: '0.0.0.0' });
    expect(healthListenFromEnv({ HEALTH_PORT: '8080', HEALTH_HOST: '127.0.0.1' })).toEqual({
      port: 8080,
      host: '127.0.0.1',
    });
  });

  it('refuses a value that is not a port, naming the variable', () => {
    for (const bad of ['http', '70000', '80 # health', '-1'])
      expect(() => healthListenFromEnv({ HEALTH_PORT: bad })).toThrow(`HEALTH_PORT="${bad}" is not a port number`);
  });
});
