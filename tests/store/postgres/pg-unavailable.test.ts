import { describe, expect, it } from 'vitest';
import { asStoreError, unavailableReason, withUnavailable } from '../../../src/store/postgres/pg-unavailable.js';
import { StoreUnavailableError } from '../../../src/store/store-unavailable.js';
import { connectTimeoutMs } from '../../../src/store/postgres/pg-pool.js';

/** Which pg failures mean "the server cannot be reached"; everything else passes unchanged. No server needed. */
describe('connection-class errors from pg', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('maps socket errors, server shutdowns, class 08 and pg’s own connection messages', () => {
    expect(unavailableReason(coded('ECONNREFUSED'))).toMatch(/connection refused/);
    expect(unavailableReason(coded('ECONNRESET'))).toMatch(/reset/);
    expect(unavailableReason(coded('57P01'))).toMatch(/shut down by an administrator/);
    expect(unavailableReason(coded('08006'))).toBe('connection exception 08006');
    expect(unavailableReason(new Error('Connection terminated unexpectedly'))).toMatch(/closed the connection/);
    expect(unavailableReason(new Error('timeout exceeded when trying to connect'))).toMatch(/pool timeout/);
    const both = Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), { code: undefined });
    expect(unavailableReason(both)).toMatch(/connection refused/);
  });

  it('leaves query errors alone: a syntax error, a unique violation, a read-only session', () => {
    for (const code of ['42601', '23505', '25006', '3D000']) expect(unavailableReason(coded(code))).toBeNull();
    const unique = coded('23505');
    expect(asStoreError(unique, 'h:1/db')).toBe(unique);
  });

  it('wraps each repository method so an outage rejects with StoreUnavailableError naming the target', async () => {
    const repo = {
      ok: async () => 1,
      down: async () => {
        throw coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
      },
      bad: async () => {
        throw coded('42601', 'syntax error');
      },
    };
    const wrapped = withUnavailable(repo, '127.0.0.1:5432/dealbot');
    await expect(wrapped.ok()).resolves.toBe(1);
    const err = await wrapped.down().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).message).toMatch(
      /^the database at 127\.0\.0\.1:5432\/dealbot is not answering \(connection refused/,
    );
    expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    await expect(wrapped.bad()).rejects.toMatchObject({ code: '42601' });
  });
});

describe('the connect timeout', () => {
  it("is 10 s unless the URL gives libpq's connect_timeout (seconds; 0: none)", () => {
    expect(connectTimeoutMs('postgres://u@h:5432/db')).toBe(10_000);
    expect(connectTimeoutMs('postgres://u@h:5432/db?connect_timeout=3')).toBe(3_000);
    expect(connectTimeoutMs('postgres://u@h:5432/db?connect_timeout=0')).toBe(0);
    expect(connectTimeoutMs('postgres://u@h:5432/db?connect_timeout=soon')).toBe(10_000);
  });
});
