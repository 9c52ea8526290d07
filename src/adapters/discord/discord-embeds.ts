import type { APIEmbed } from 'discord.js';
import type { Message, MessageItem, MessageSource } from '../../messages/message.js';
import {
  citationText,
  labelSeparator,
  moreText,
  noteLead,
  sourceNumbersOf,
  visibleMarkLabels,
} from '../../render/item-parts.js';
import { escapeDiscord, plainDiscord, safeLink, truncate } from './discord-markdown.js';

/** Discord's documented embed limits; the builders do not check the 6,000 total, so this renderer counts it. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  embeds: 10,
} as const;

/** Message flag 64: only the asker sees the reply. */
export const EPHEMERAL_FLAG = 64;

/** The JSON body Discord is sent for a message (snake_case, as on the wire). */
export interface DiscordPayload {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: []; replied_user: false };
  flags?: number;
}

export interface RenderOptions {
  visibility: 'private' | 'channel';
  /** Appended to the last embed's footer (the idempotency reference of a channel post). */
  footerSuffix?: string;
}

const COLOURS = { info: 0x5865f2, warning: 0xfee75c, error: 0xed4245 } as const;
// Per-part caps, so one huge feed item cannot crowd out the rest of the answer.
const CAP = { intro: 1500, head: 1000, meta: 300, note: 700, link: 500, source: 300, footer: 500 } as const;
const INDENT = '\u2003';

/**
 * Renders the message model as Discord embeds within every limit. Items flow through
 * embed descriptions; when the whole message would pass 6,000 characters it is cut
 * at an item boundary with "… and N more". Every string from a brief or a feed is
 * escaped, and allowed_mentions parses nothing, so no text can ping or link.
 */
export function renderDiscordMessage(message: Message, options: RenderOptions): DiscordPayload {
  const items = message.sections.reduce((n, s) => n + s.items.length, 0);
  const sources = message.sources?.length ?? 0;
  const cache = new Map<MessageItem, string>();
  const attempt = (keep: number, keepSources: number) => build(message, options, keep, keepSources, cache);
  const full = attempt(items, sources);
  if (fits(full)) return full;
  // Cut at an item boundary: items bring the sources they cite (a list of sources without
  // citations waits until the items are placed), then as many sources as still fit.
  const cited = message.sections.some((s) => s.items.some((i) => sourceNumbersOf(i).length > 0));
  let keep = largestFitting(items, (k) => attempt(k, cited ? sources : 0));
  if (keep === 0 && cited) keep = largestFitting(items, (k) => attempt(k, 0));
  const keepSources = largestFitting(sources, (n) => attempt(keep, n));
  return attempt(keep, keepSources);
}

function fits(payload: DiscordPayload): boolean {
  return embedsSize(payload.embeds) <= DISCORD_LIMITS.total && payload.embeds.length <= DISCORD_LIMITS.embeds;
}

/** The largest n in 0..max whose payload fits, growing one at a time (sizes only grow with n). */
function largestFitting(max: number, attempt: (n: number) => DiscordPayload): number {
  let best = 0;
  for (let n = 1; n <= max; n++) {
    if (!fits(attempt(n))) break;
    best = n;
  }
  return best;
}

/** Characters Discord counts toward the 6,000 limit across all embeds of a message. */
export function embedsSize(embeds: readonly APIEmbed[]): number {
  return embeds.reduce(
    (sum, e) =>
      sum +
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.author?.name.length ?? 0) +
      (e.fields ?? []).reduce((f, field) => f + field.name.length + field.value.length, 0),
    0,
  );
}

/** The payload with the first `keep` items (in reading order), at most `keepSources` sources, and notes counting the rest. */
function build(
  message: Message,
  options: RenderOptions,
  keep: number,
  keepSources: number,
  cache: Map<MessageItem, string>,
): DiscordPayload {
  const lines: string[] = [];
  if (message.intro) lines.push(esc(message.intro, CAP.intro));
  let remaining = keep;
  let left = 0;
  let hint: string | undefined;
  const shown: MessageItem[] = [];
  for (const section of message.sections) {
    if (left > 0 || (remaining === 0 && section.items.length > 0)) {
      left += section.items.length + (section.more?.count ?? 0);
      hint ??= section.more?.hint;
      continue;
    }
    if (section.heading) lines.push(...(lines.length ? [''] : []), `**${esc(section.heading, CAP.head)}**`);
    const take = Math.min(remaining, section.items.length);
    remaining -= take;
    for (const item of section.items.slice(0, take)) {
      lines.push(itemText(item, cache));
      shown.push(item);
    }
    if (take < section.items.length) {
      left += section.items.length - take + (section.more?.count ?? 0);
      hint = section.more?.hint;
    } else if (section.more && section.more.count > 0) {
      lines.push(moreLine(section.more.count, section.more.hint));
    }
  }
  if (left > 0) lines.push(moreLine(left, hint ?? 'the rest did not fit in one Discord message'));

  const colour = COLOURS[message.tone ?? 'info'];
  const chunks = chunkLines(lines);
  const embeds: APIEmbed[] = chunks.map((description, i) => ({
    ...(i === 0 ? { title: esc(message.title, DISCORD_LIMITS.title) } : {}),
    ...(description ? { description } : {}),
    color: colour,
  }));
  if (embeds.length === 0) embeds.push({ title: esc(message.title, DISCORD_LIMITS.title), color: colour });

  const relevant = sourcesShown(message, shown);
  const sourceLines = relevant.slice(0, keepSources).map(sourceLine);
  if (relevant.length > keepSources) sourceLines.push(`*… and ${relevant.length - keepSources} more sources*`);
  chunkLines(sourceLines).forEach((description, i) =>
    embeds.push({ ...(i === 0 ? { title: 'Sources' } : {}), description, color: colour }),
  );

  const footer = [message.footer ? truncate(plainDiscord(message.footer), CAP.footer) : '', options.footerSuffix ?? '']
    .filter(Boolean)
    .join(' · ');
  if (footer) embeds[embeds.length - 1]!.footer = { text: truncate(footer, DISCORD_LIMITS.footer) };

  return {
    content: '',
    embeds,
    allowed_mentions: { parse: [], replied_user: false },
    ...(options.visibility === 'private' ? { flags: EPHEMERAL_FLAG } : {}),
  };
}

/** One item as it reads in the terminal renderer, in Discord markdown; rendered once per message. */
function itemText(item: MessageItem, cache: Map<MessageItem, string>): string {
  const cached = cache.get(item);
  if (cached !== undefined) return cached;
  const marks = visibleMarkLabels(item.marks).map((m) => `*(${m})*`);
  const label = item.label ? `**${esc(item.label, CAP.head)}**${labelSeparator(item.label)}` : '';
  const text = item.attribution
    ? `${esc(item.attribution, CAP.head)}: ${esc(item.text, CAP.head)}`
    : esc(item.text, CAP.head);
  const head = [`• ${label}${text}`, escapeDiscord(citationText(item.citations)), ...marks].filter(Boolean).join(' ');
  const out = [truncate(head, CAP.head)];
  if (item.meta) out.push(INDENT + esc(item.meta, CAP.meta));
  if (item.url) out.push(INDENT + linkText(item.url));
  if (item.note) out.push(`${INDENT}*${noteLead(item)}${esc(item.note, CAP.note)}*`);
  const rendered = out.join('\n');
  cache.set(item, rendered);
  return rendered;
}

/**
 * Escapes text cut to `max`: cut first too, because discord.js's escaper is slow on
 * long input (quadratic look-behinds) and a feed must not stall the bot with a huge item.
 */
function esc(text: string, max: number): string {
  return truncate(escapeDiscord(truncate(text, max)), max);
}

function moreLine(count: number, hint: string): string {
  return `*${moreText(count, esc(hint, CAP.meta))}*`;
}

/** Sources cited by the items shown; all of them when no item cites any (a list of sources). */
function sourcesShown(message: Message, shown: MessageItem[]): MessageSource[] {
  const sources = message.sources ?? [];
  const anyCitations = message.sections.some((s) => s.items.some((i) => sourceNumbersOf(i).length > 0));
  if (!anyCitations) return sources;
  const cited = new Set(shown.flatMap(sourceNumbersOf));
  return sources.filter((s) => cited.has(s.n));
}

function sourceLine(source: MessageSource): string {
  const label = esc(`[${source.n}] ${source.label}`, CAP.source);
  return source.url ? `${label} ${linkText(source.url)}` : label;
}

/** A URL as an inert <link>, or as escaped text when it is too long to show whole. */
function linkText(url: string): string {
  const link = url.length <= CAP.link ? safeLink(url) : '';
  return link && link.length <= CAP.link ? link : esc(url, CAP.link);
}

/** Joins lines into descriptions of at most 4,096 characters, breaking only between lines. */
function chunkLines(lines: string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length <= DISCORD_LIMITS.description) current = next;
    else {
      if (current) chunks.push(current);
      current = truncate(line, DISCORD_LIMITS.description);
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
