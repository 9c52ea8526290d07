import type { Brief } from '../briefs/schema.js';
import type { Message, MessageSection } from '../messages/message.js';
import type { LedgerStory } from '../store/digest-ledger.js';
import { isBacklog, type DigestCandidate } from './candidate-source.js';
import { digestItem, rankEvents, rankedEvents, type RankedEvent } from './rank-events.js';
import { formatLocalDay, formatLocalTime } from './wall-clock.js';
import { storyTime } from '../events/story-time.js';

export interface ComposeDigestInput {
  /** Matched stories this channel has not received (the caller asks the ledger). */
  candidates: DigestCandidate[];
  /** Events the channel already received: their new stories are folded in, not shown again. */
  receivedClusters: ReadonlySet<string>;
  /** The briefs the channel follows, in the config's order (sections follow it). */
  briefs: Brief[];
  maxItems: number;
  quietDay: 'skip' | 'short-line';
  /** The bot's command name, for the "/deal latest" hint. */
  command: string;
  /** The default brief: its hint needs no brief id. */
  defaultBriefId: string;
  now: Date;
  /** The time the digest is for, and the zone it is read in. */
  slot: Date;
  timeZone: string;
  /** Sent after its time because the bot was down. */
  late: boolean;
}

export interface ComposedDigest {
  /** Null when there is nothing to post (a quiet day with quiet_day: skip). */
  message: Message | null;
  /** Every story this digest accounts for, shown or not: the ledger records exactly these. */
  stories: LedgerStory[];
  shown: RankedEvent[];
  more: RankedEvent[];
}

/**
 * Turns what a channel has not seen into one digest message: events grouped by
 * brief, best first, at most maxItems with "and N more", each with title,
 * outlet, age and link. Backlog stories of newly added feeds never appear; an
 * event the channel already got is not repeated. Pure: the same input gives the
 * same message, so a preview shows exactly what would be sent.
 */
export function composeDigest(input: ComposeDigestInput, chosen = chooseEvents(input)): ComposedDigest {
  const { shown, more, folded } = chosen;
  const day = formatLocalDay(input.slot, input.timeZone);
  const footer = input.late
    ? `Sent late: due at ${formatLocalTime(input.slot, input.timeZone)} (${input.timeZone}) while the bot was offline.`
    : undefined;

  if (shown.length + more.length === 0) {
    if (input.quietDay === 'skip') return new Composed(null, shown, more, folded);
    return new Composed(
      {
        title: `Digest — ${day}: nothing new since the last digest (/${input.command} latest shows recent stories)`,
        sections: [],
        footer,
      },
      shown,
      more,
      folded,
    );
  }

  const sections: MessageSection[] = [];
  const glance: string[] = [];
  for (const brief of input.briefs) {
    const items = shown.filter((c) => c.briefId === brief.id);
    const hidden = more.filter((c) => c.briefId === brief.id).length;
    if (items.length === 0 && hidden === 0) continue;
    const hint =
      brief.id === input.defaultBriefId ? `/${input.command} latest` : `/${input.command} latest ${brief.id}`;
    sections.push({
      heading: brief.title,
      items: items.map((c) => ({ ...digestItem(c, input.now, brief), time: eventTime(c) })),
      ...(hidden > 0 ? { more: { count: hidden, hint } } : {}),
    });
    if (brief.at_a_glance)
      glance.push(input.briefs.length > 1 ? `${brief.title}: ${brief.at_a_glance}` : brief.at_a_glance);
  }
  const message: Message = { title: `Digest — ${day}`, sections };
  if (glance.length) message.intro = glance.join('\n');
  if (footer) message.footer = footer;
  return new Composed(message, shown, more, folded);
}

/** The events a digest shows, counts as more, and folds into ones the channel got: what composeDigest writes. */
export interface ChosenEvents {
  shown: RankedEvent[];
  more: RankedEvent[];
  folded: RankedEvent[];
}

/**
 * The first half of composeDigest, reading nothing: a caller whose candidates read
 * their stories on demand loads the shown ones (loadShown) before composing with it.
 */
export function chooseEvents(
  input: Pick<ComposeDigestInput, 'candidates' | 'briefs' | 'receivedClusters' | 'maxItems' | 'now'>,
): ChosenEvents {
  const briefIds = input.briefs.map((b) => b.id);
  const fresh = input.candidates.filter((c) => !isBacklog(c) && briefIds.includes(c.briefId));
  const clusters = rankedEvents(fresh, briefIds, input.now);
  const folded = clusters.filter((c) => input.receivedClusters.has(c.key));
  const ranked = rankEvents(clusters.filter((c) => !input.receivedClusters.has(c.key)));
  return { shown: ranked.slice(0, input.maxItems), more: ranked.slice(input.maxItems), folded };
}

/**
 * A composed digest whose ledger rows (one per story of every event it accounts for,
 * hundreds) are listed only when asked for: a delivery asks, a preview never does.
 */
class Composed implements ComposedDigest {
  private listed: LedgerStory[] | undefined;

  constructor(
    readonly message: Message | null,
    readonly shown: RankedEvent[],
    readonly more: RankedEvent[],
    private readonly folded: RankedEvent[],
  ) {}

  get stories(): LedgerStory[] {
    return (this.listed ??= [
      ...ledgerStories(this.shown, 'shown'),
      ...ledgerStories(this.more, 'more'),
      ...ledgerStories(this.folded, 'folded'),
    ]);
  }
}

/** The time an event's line shows the age of (its lead story's), so the age can be recomputed when it is posted. */
export function eventTime(event: RankedEvent): string {
  return new Date(storyTime(event.lead.story)).toISOString();
}

function ledgerStories(clusters: RankedEvent[], role: LedgerStory['role']): LedgerStory[] {
  return clusters.flatMap((c) =>
    c.members.map((m) => ({ storyId: m.storyId, briefId: m.briefId, clusterKey: c.key, role })),
  );
}
