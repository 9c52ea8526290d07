import type { DigestConfig } from '../../config/schema.js';
import { CronSlots } from '../../digests/cron-slots.js';
import { digestEntriesFor, previewDigest } from '../../digests/manual-digest.js';
import { formatLocalDay, formatLocalTime } from '../../digests/wall-clock.js';
import { createDigestCandidateSource } from '../../digests/store-candidates.js';
import type { Message } from '../../messages/message.js';
import { requireStore, type Subcommand } from '../subcommand.js';

/**
 * Shows admins what a channel's digest would say now, without sending it or
 * touching the ledger: for checking a schedule's briefs and caps before 08:00.
 */
export const digestSubcommand: Subcommand = {
  name: 'digest',
  summary: "preview this channel's next digest (or another channel's), without sending it",
  usage: 'digest [channel-id]',
  maxArgs: 1,
  adminOnly: true,
  needsStore: true,
  async run(ctx) {
    const cmd = ctx.config.bot.command;
    const store = requireStore(ctx);
    const asked = ctx.args[0];
    const target = asked ?? ctx.invocation.channel.id;
    const entries = digestEntriesFor(ctx.config, target, asked ? undefined : ctx.invocation.platform);
    if (entries.length === 0)
      return scheduleList(
        ctx.config.digests,
        cmd,
        asked ? `No digest is scheduled for "${asked}".` : 'No digest is scheduled for this channel.',
        ctx.now,
      );
    const entry = entries[0]!;
    const { message } = await previewDigest(
      { config: ctx.config, briefs: ctx.briefs, ledger: store.ledger, candidates: createDigestCandidateSource(store) },
      entry,
      ctx.now,
    );
    const where = `${entry.platform}:${entry.channel}`;
    const next = nextRun(entry, ctx.now);
    if (!message) {
      return {
        title: `Digest preview — ${where}`,
        sections: [{ items: [{ text: `Nothing would be sent now: no new stories, and quiet_day is "skip".` }] }],
        footer: next,
      };
    }
    const preview: Message = { ...message, title: `Preview — ${message.title} (${where})` };
    preview.footer = [message.footer, `Not sent. ${next}`].filter(Boolean).join('\n');
    return preview;
  },
};

function nextRun(entry: DigestConfig, now: Date): string {
  const slots = new CronSlots(entry.cron, entry.timezone);
  try {
    const next = slots.nextAfter(now);
    return next
      ? `Next scheduled digest: ${formatLocalDay(next, entry.timezone)} ${formatLocalTime(next, entry.timezone)} (${entry.timezone}).`
      : 'No scheduled digest ahead.';
  } finally {
    slots.dispose();
  }
}

function scheduleList(digests: DigestConfig[], cmd: string, lead: string, now: Date): Message {
  return {
    title: lead,
    sections: [
      {
        heading: 'Scheduled digests',
        items: digests.length
          ? digests.map((d) => ({
              label: `${d.platform}:${d.channel}`,
              text: `"${d.cron}" ${d.timezone}${d.alerts.enabled ? `, alerts from score ${d.alerts.min_score}` : ''}`,
              meta: nextRun(d, now),
            }))
          : [{ text: 'None: add entries under digests: in the config (see docs/digests.md).' }],
      },
    ],
    footer: `Preview one with /${cmd} digest <channel-id>`,
    tone: 'warning',
  };
}
