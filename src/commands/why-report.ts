import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config } from '../config/schema.js';
import type { Message, MessageItem } from '../messages/message.js';
import type { AsyncStore } from '../store/async-store.js';
import { matcherFor } from '../matching/matcher-cache.js';
import { canonicalUrl } from '../feeds/canonical-url.js';
import { storyLookupKeys } from '../feeds/normalize-story.js';

/**
 * What happened to one story, for admins (`dealbot why`, `/deal why`): which
 * feed brought it and when, its score and reasons, the brief it matched or why
 * none, whether a feed filter dropped it, and which digests it went to.
 */
export interface WhyDeps {
  store: AsyncStore;
  briefs: BriefRegistry;
  config: Config;
}

export async function whyReport(idOrUrl: string, deps: WhyDeps): Promise<Message> {
  const { store } = deps;
  // A link as the feed or a browser gives it is looked up as stories are stored (canonical URL).
  const keys = storyLookupKeys(idOrUrl);
  const story = await firstFound(keys, (k) => store.stories.get(k));
  if (!story) {
    const dropped = await firstFound(keys, (k) => store.matches.getFiltered(k));
    if (dropped) {
      return {
        title: `Why: ${dropped.title}`,
        sections: [
          {
            items: [
              { label: 'Filtered', text: dropped.reason, meta: `seen ${dropped.at} in feed "${dropped.feedId}"` },
              {
                text: "Filtered stories are not stored, matched or digested. Edit the feed's include/exclude in the config to let such stories through.",
              },
            ],
          },
        ],
        tone: 'info',
      };
    }
    return {
      title: 'Why: story not found',
      sections: [
        {
          items: [
            {
              text: `No stored story has the id or URL "${idOrUrl}"${alsoTried(idOrUrl)}, and no feed filter dropped one. The bot has not seen it: check that one of its feeds carries it (npx dealbot feeds).`,
            },
          ],
        },
      ],
      tone: 'warning',
    };
  }

  const items: MessageItem[] = [];
  const feeds =
    story.feedIds.length > 1 ? `feeds ${story.feedIds.map((f) => `"${f}"`).join(', ')}` : `feed "${story.feedId}"`;
  items.push({
    label: 'Seen',
    text: `from ${feeds}, first on ${story.firstSeen}`,
    meta: `published ${story.published ?? 'unknown'}${story.backlog ? ' · backlog (older than the feed when it was added): never digested' : ''}`,
  });

  const stored = await store.matches.get(story.id);
  const live = matcherFor(deps.briefs, deps.config.matching).decide(story);
  const verdict = (relevant: boolean, score: number, brief: string | null) =>
    `${relevant ? 'relevant' : 'not relevant'} (score ${score}; threshold ${deps.config.matching.relevance_threshold}), brief: ${brief ?? 'none'}`;
  if (stored) {
    items.push({
      label: 'Decision',
      text: verdict(stored.relevant, stored.score, stored.briefId),
      meta: `decided ${stored.decidedAt}`,
    });
    for (const r of stored.reasons) items.push({ text: r });
    // What a story's event decided (relevance, brief) the matcher alone cannot see: not a change.
    const byEvent = (what: RegExp) => stored.reasons.some((r) => what.test(r));
    const relevantChanged = stored.relevant !== live.relevant && !(live.near && byEvent(/^relevant through its event/));
    const briefChanged =
      stored.briefId !== live.brief && !(live.brief === null && byEvent(/^brief \S+ through its event/));
    if (relevantChanged || briefChanged) {
      items.push({
        label: 'Now',
        text: `with the current briefs and config it would be ${verdict(live.relevant, live.score, live.brief)}`,
      });
    }
    if (stored.clusterKey) {
      const members = (await store.matches.clusterMembers(stored.clusterKey)).length;
      items.push({
        label: 'Event',
        text:
          members > 1
            ? `one of ${members} stories about the same event (key ${stored.clusterKey})`
            : `its own event (key ${stored.clusterKey})`,
        ...(stored.eventNote ? { meta: stored.eventNote } : {}),
      });
    }
  } else {
    items.push({
      label: 'Decision',
      text: `not matched yet; with the current briefs it would be ${verdict(live.relevant, live.score, live.brief)}`,
    });
    for (const r of live.reasons) items.push({ text: r });
  }

  const deliveries = await store.matches.deliveriesOf?.(story.id);
  if (deliveries === undefined) items.push({ label: 'Digests', text: 'unknown: this store keeps no delivery ledger' });
  else if (deliveries.length === 0) items.push({ label: 'Digests', text: 'not sent to any channel yet' });
  else {
    for (const d of deliveries) {
      items.push({
        label: d.kind === 'alert' ? 'Alert' : 'Digest',
        text: `${d.channelKey}: ${d.status}${d.role !== 'shown' ? ` (${d.role})` : ''}`,
        meta: d.sentAt ? `sent ${d.sentAt}` : `reserved ${d.createdAt}`,
      });
    }
  }

  return {
    title: `Why: ${story.title}`,
    sections: [{ items: items.map((i) => (story.url && i.label === 'Seen' ? { ...i, url: story.url } : i)) }],
    tone: 'info',
  };
}

async function firstFound<T>(keys: string[], get: (key: string) => Promise<T | null>): Promise<T | null> {
  for (const key of keys) {
    const found = await get(key);
    if (found) return found;
  }
  return null;
}

/** Names the canonical URL that was looked up too, when it differs from what was typed. */
function alsoTried(typed: string): string {
  const canonical = canonicalUrl(typed.trim());
  return canonical && canonical !== typed.trim() ? ` (nor as "${canonical}")` : '';
}
