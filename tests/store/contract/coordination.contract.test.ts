import { describe, expect, it } from 'vitest';
import { holdLease, type ReplicaRegistration } from '../../../src/store/coordination.js';
import { forEachEnginePair } from './engine-pairs.js';

const MINUTE = 60_000;
const LONG_AGO = '2000-01-01T00:00:00.000Z';

const replica = (id: string, over: Partial<ReplicaRegistration> = {}): ReplicaRegistration => ({
  id,
  host: `host-${id}`,
  pid: 100,
  configFingerprint: `fp-${id}`,
  configSummary: { feeds: { nhk: 'abc123' }, digests: [], list: ['x', 'y'] },
  ...over,
});

forEachEnginePair('coordination', (pair) => {
  describe('leases', () => {
    it('a free lease goes to the first holder; the second is refused while it runs', async () => {
      const { a, b } = pair();
      expect(await a.leases.holder('discord-gateway')).toBeNull();
      expect(await a.leases.acquire('discord-gateway', 'replica-a', MINUTE)).toBe(true);
      expect(await b.leases.acquire('discord-gateway', 'replica-b', MINUTE)).toBe(false);
      const lease = await b.leases.holder('discord-gateway');
      expect(lease).toMatchObject({ name: 'discord-gateway', holder: 'replica-a' });
      expect(Date.parse(lease!.expiresAt)).toBeGreaterThan(Date.parse(lease!.acquiredAt));
      // Another name is another lease.
      expect(await b.leases.acquire('slack-socket', 'replica-b', MINUTE)).toBe(true);
    });

    it('two holders acquiring at the same moment: exactly one gets it, and it is the one recorded', async () => {
      const { a, b } = pair();
      for (const name of ['l1', 'l2', 'l3', 'l4', 'l5']) {
        const [gotA, gotB] = await Promise.all([
          a.leases.acquire(name, 'replica-a', MINUTE),
          b.leases.acquire(name, 'replica-b', MINUTE),
        ]);
        expect([gotA, gotB].filter(Boolean), name).toHaveLength(1);
        expect((await a.leases.holder(name))?.holder, name).toBe(gotA ? 'replica-a' : 'replica-b');
      }
    });

    it("acquiring one's own lease again renews it and keeps when it was taken", async () => {
      const { a } = pair();
      expect(await a.leases.acquire('gw', 'replica-a', 1_000)).toBe(true);
      const first = (await a.leases.holder('gw'))!;
      expect(await a.leases.acquire('gw', 'replica-a', 10 * MINUTE)).toBe(true);
      const second = (await a.leases.holder('gw'))!;
      expect(second.acquiredAt).toBe(first.acquiredAt);
      expect(Date.parse(second.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
    });

    it('an expired lease is taken over, and the old holder then fails to renew or release it', async () => {
      const { a, b, exec } = pair();
      expect(await a.leases.acquire('gw', 'replica-a', MINUTE)).toBe(true);
      await exec(`UPDATE leases SET expires_at = '${LONG_AGO}' WHERE name = 'gw'`); // replica-a hung
      expect(await a.leases.holder('gw')).toBeNull();
      expect(await b.leases.acquire('gw', 'replica-b', MINUTE)).toBe(true);
      expect((await a.leases.holder('gw'))?.holder).toBe('replica-b');
      expect(await a.leases.renew('gw', 'replica-a', MINUTE)).toBe(false);
      expect(await a.leases.release('gw', 'replica-a')).toBe(false);
      expect((await a.leases.holder('gw'))?.holder).toBe('replica-b');
    });

    it('a lease of 0 ms is expired as soon as taken: anyone may take it over at once', async () => {
      const { a, b } = pair();
      expect(await a.leases.acquire('gw', 'replica-a', 0)).toBe(true);
      expect(await a.leases.holder('gw')).toBeNull();
      expect(await b.leases.acquire('gw', 'replica-b', MINUTE)).toBe(true);
      expect((await b.leases.holder('gw'))?.holder).toBe('replica-b');
    });

    it('renew extends only a lease the holder still has; an expired one nobody took is still its own', async () => {
      const { a, b, exec } = pair();
      expect(await a.leases.renew('gw', 'replica-a', MINUTE)).toBe(false); // never held
      expect(await a.leases.acquire('gw', 'replica-a', MINUTE)).toBe(true);
      expect(await b.leases.renew('gw', 'replica-b', MINUTE)).toBe(false);
      await exec(`UPDATE leases SET expires_at = '${LONG_AGO}' WHERE name = 'gw'`);
      expect(await a.leases.renew('gw', 'replica-a', MINUTE)).toBe(true);
      expect((await b.leases.holder('gw'))?.holder).toBe('replica-a');
      expect(await b.leases.acquire('gw', 'replica-b', MINUTE)).toBe(false);
    });

    it('release frees the lease for the next holder; releasing another holder’s lease does nothing', async () => {
      const { a, b } = pair();
      expect(await a.leases.acquire('gw', 'replica-a', MINUTE)).toBe(true);
      expect(await b.leases.release('gw', 'replica-b')).toBe(false);
      expect((await b.leases.holder('gw'))?.holder).toBe('replica-a');
      expect(await a.leases.release('gw', 'replica-a')).toBe(true);
      expect(await a.leases.holder('gw')).toBeNull();
      expect(await a.leases.renew('gw', 'replica-a', MINUTE)).toBe(false);
      expect(await b.leases.acquire('gw', 'replica-b', MINUTE)).toBe(true);
    });

    it('holdLease binds one name, holder and ttl for the job that holds it', async () => {
      const { a, b } = pair();
      const gatewayA = holdLease(a.leases, 'discord-gateway', 'replica-a', MINUTE);
      const gatewayB = holdLease(b.leases, 'discord-gateway', 'replica-b', MINUTE);
      expect(await gatewayA.acquire()).toBe(true);
      expect(await gatewayB.acquire()).toBe(false);
      expect(await gatewayA.renew()).toBe(true);
      expect(await gatewayB.renew()).toBe(false);
      await gatewayA.release();
      expect(await gatewayB.acquire()).toBe(true);
      expect(await gatewayA.renew()).toBe(false);
      expect(() => holdLease(a.leases, 'x', 'replica-a', -5)).toThrow('the ttl of lease "x" must be');
    });

    it('refuses a negative or non-finite ttl, naming the lease', async () => {
      const { a } = pair();
      await expect(async () => a.leases.acquire('gw', 'replica-a', -1)).rejects.toThrow(
        'the ttl of lease "gw" must be a number of milliseconds ≥ 0, not -1',
      );
      await expect(async () => a.leases.renew('gw', 'replica-a', Number.NaN)).rejects.toThrow(/not NaN/);
    });
  });

  describe('replicas', () => {
    it('registers replicas and lists the live ones, oldest started first, with their config summaries', async () => {
      const { a, b } = pair();
      const registered = await a.replicas.register(replica('a'));
      expect(registered).toMatchObject({ id: 'a', host: 'host-a', pid: 100, configFingerprint: 'fp-a' });
      expect(registered.startedAt).toBe(registered.lastHeartbeatAt);
      await b.replicas.register(replica('b', { pid: 200 }));
      const live = await b.replicas.live(MINUTE);
      expect(live.map((r) => r.id).sort()).toEqual(['a', 'b']);
      const seenA = live.find((r) => r.id === 'a')!;
      expect(seenA).toEqual({ ...replica('a'), startedAt: seenA.startedAt, lastHeartbeatAt: seenA.lastHeartbeatAt });
      expect(seenA.configSummary).toEqual({ feeds: { nhk: 'abc123' }, digests: [], list: ['x', 'y'] });
      expect(Date.parse(seenA.startedAt)).not.toBeNaN();
      const order = live.map((r) => r.startedAt);
      expect(order).toEqual([...order].sort());
    });

    it('a replica silent past the window is not live; a heartbeat brings it back', async () => {
      const { a, b, exec } = pair();
      await a.replicas.register(replica('a'));
      await b.replicas.register(replica('b'));
      await exec(`UPDATE replicas SET heartbeat_at = '${LONG_AGO}' WHERE id = 'a'`);
      expect((await b.replicas.live(MINUTE)).map((r) => r.id)).toEqual(['b']);
      expect(await a.replicas.heartbeat('a')).toBe(true);
      expect((await b.replicas.live(MINUTE)).map((r) => r.id).sort()).toEqual(['a', 'b']);
    });

    it('forget and prune remove replicas; a heartbeat then says to register again', async () => {
      const { a, b, exec } = pair();
      await a.replicas.register(replica('a'));
      await b.replicas.register(replica('b'));
      await a.replicas.register(replica('c'));
      await exec(`UPDATE replicas SET heartbeat_at = '${LONG_AGO}' WHERE id = 'c'`);
      expect(await b.replicas.prune(24 * 60 * MINUTE)).toBe(1);
      await b.replicas.forget('b');
      expect((await a.replicas.live(MINUTE)).map((r) => r.id)).toEqual(['a']);
      expect(await b.replicas.heartbeat('b')).toBe(false);
      expect(await a.replicas.heartbeat('c')).toBe(false);
    });

    it('registering an id again starts it afresh with the new config', async () => {
      const { a, exec } = pair();
      await a.replicas.register(replica('a'));
      await exec(`UPDATE replicas SET started_at = '${LONG_AGO}', heartbeat_at = '${LONG_AGO}' WHERE id = 'a'`);
      await a.replicas.register(replica('a', { configFingerprint: 'fp-new', configSummary: { feeds: {} } }));
      const [again] = await a.replicas.live(MINUTE);
      expect(again).toMatchObject({ id: 'a', configFingerprint: 'fp-new', configSummary: { feeds: {} } });
      expect(again!.startedAt > LONG_AGO).toBe(true);
    });
  });
});
