import { describe, expect, it } from 'vitest';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Message } from '../../src/messages/message.js';
import { FakePlatform, openLedger, tempDbFile } from './helpers.js';

function pendingDigest(ledger: ReturnType<typeof openLedger>['ledger']): void {
  ledger.reserve(
    {
      id: 'dg-test-1',
      channelKey: 'slack:C1',
      kind: 'digest',
      slot: null,
      late: false,
      message: { title: 'Digest', sections: [{ items: [{ text: 'A story', url: 'https://example.com/a' }] }] },
      status: 'pending',
      createdAt: new Date().toISOString(),
    },
    [],
  );
}

describe('a digest the platform keeps refusing', () => {
  it('tells the admins once, with what to do, and stays pending', async () => {
    const { ledger, close } = openLedger(tempDbFile());
    pendingDigest(ledger);
    const platform = new FakePlatform();
    platform.next('fail', 'fail');
    const notices: Message[] = [];
    const adapter = platform.adapter();
    const deliverer = new DigestDeliverer({
      ledger,
      adapterFor: () => adapter,
      logger: silentLogger(),
      now: () => new Date(),
      retry: { delaysMs: [1] },
      notifyAdmins: async (m) => void notices.push(m),
    });
    const result = await deliverer.withChannel({ platform: 'slack', channel: 'C1' }, () =>
      deliverer.flush({ platform: 'slack', channel: 'C1' }),
    );
    expect(result.pending.map((d) => d.id)).toEqual(['dg-test-1']);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toBe('A digest for slack:C1 could not be posted');
    const text = notices[0]!.sections[0]!.items.map((i) => i.text).join('\n');
    expect(text).toContain('platform said 503');
    expect(text).toContain('stays pending');
    // The next flush posts it; no new notice.
    const again = await deliverer.withChannel({ platform: 'slack', channel: 'C1' }, () =>
      deliverer.flush({ platform: 'slack', channel: 'C1' }),
    );
    expect(again.sent.map((d) => d.id)).toEqual(['dg-test-1']);
    expect(notices).toHaveLength(1);
    expect(platform.posts).toHaveLength(1);
    await deliverer.stop();
    close();
  });
});
