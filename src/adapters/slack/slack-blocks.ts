import type { Message, MessageItem, MessageSection } from '../../messages/message.js';
import {
  citationText,
  labelSeparator,
  moreText,
  noteLead,
  sourceNumbersOf,
  visibleMarkLabels,
} from '../../render/item-parts.js';
import { escapeInline, escapeSlack, fitEscaped, fitInline, slackLink } from './slack-escape.js';

/**
 * Renders the message model as Slack Block Kit: a header, the intro, one section
 * per item with its citations, marks and meta as a context line, the sources and
 * the footer as context. Pure: no Slack SDK, so the CLI preview and tests share it.
 *
 * Long answers are cut between items (never inside an item's markup) so the
 * message stays inside Slack's limits, and end with "… and N more — use …".
 */

export interface PlainText {
  type: 'plain_text';
  text: string;
}
/** `verbatim: true` stops Slack from auto-linking URLs, #channels and @here in feed text. */
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'divider' };

/** What chat.postMessage and respond() take: blocks plus the escaped plain-text fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** The payload sent through a slash command's response_url. */
export interface SlackReply extends SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
}

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextText: 3000,
  /**
   * Slack refuses messages whose blocks are too long in total (msg_blocks_too_long,
   * seen near 13k characters): we keep the blocks' JSON under this.
   */
  blocksJson: 10_000,
  /** The `text` fallback (notifications, screen readers); Slack truncates long ones. */
  fallbackText: 3000,
} as const;

export interface SlackRenderOptions {
  /** The slash command's name, for the default "use /deal help" hint. */
  command?: string;
}

const TONE_PREFIX: Record<NonNullable<Message['tone']>, string> = { info: '', warning: '⚠️ ', error: '❌ ' };

export function renderSlackReply(
  message: Message,
  visibility: 'private' | 'channel',
  options: SlackRenderOptions = {},
): SlackReply {
  return {
    response_type: visibility === 'channel' ? 'in_channel' : 'ephemeral',
    ...renderSlackMessage(message, options),
  };
}

export function renderSlackMessage(message: Message, options: SlackRenderOptions = {}): SlackMessage {
  const command = options.command ?? 'deal';
  const head: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: fitInline(TONE_PREFIX[message.tone ?? 'info'] + message.title, SLACK_LIMITS.headerText),
      },
    },
  ];
  if (message.intro) head.push(section(fitEscaped(message.intro.trim(), SLACK_LIMITS.sectionText)));

  // Reserve room for the tail with every source, then fill the middle with items.
  const allSources = message.sources ?? [];
  const footer: SlackBlock[] = message.footer ? [context(fitEscaped(message.footer, 500))] : [];
  const tail = (sources: typeof allSources) => [...sourceBlocks(sources, command), ...footer];
  const fullTail = tail(allSources);

  const body: SlackBlock[] = [];
  // Room is always kept for the "… and N more" line, which can be longer than this.
  const budget = new Budget([...head, ...fullTail], [context(moreLine(99_999, 'x'.repeat(120)))]);
  let cut: { remaining: number; hint: string; dropped: MessageItem[] } | undefined;
  const kept: MessageItem[] = [];
  const sections = message.sections;

  for (let s = 0; s < sections.length && !cut; s++) {
    const sec = sections[s]!;
    const groups = sectionGroups(sec, s > 0 || head.length > 1);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (!budget.tryAdd(group.blocks)) {
        const later = sections.slice(s + 1);
        const itemsLeft = sec.items.slice(group.firstItem);
        const remaining =
          itemsLeft.length +
          (sec.more?.count ?? 0) +
          later.reduce((n, x) => n + x.items.length + (x.more?.count ?? 0), 0);
        if (remaining === 0) break;
        const hint =
          sec.more?.hint ?? later.find((x) => x.more)?.more?.hint ?? 'the rest did not fit in one Slack message';
        cut = { remaining, hint, dropped: [...itemsLeft, ...later.flatMap((x) => x.items)] };
        break;
      }
      body.push(...group.blocks);
      kept.push(...group.items);
    }
  }
  if (cut) body.push(context(moreLine(cut.remaining, cut.hint)));

  // Sources cited only by items that were cut are left out with them.
  let finalTail = fullTail;
  if (cut) {
    const keptCites = new Set(kept.flatMap(sourceNumbersOf));
    const droppedOnly = new Set(cut.dropped.flatMap(sourceNumbersOf).filter((n) => !keptCites.has(n)));
    if (droppedOnly.size) finalTail = tail(allSources.filter((src) => !droppedOnly.has(src.n)));
  }
  const blocks = [...head, ...body, ...finalTail];
  return { text: fallbackText(message), blocks };
}

/** A section's blocks in groups that are kept or cut whole: the heading travels with the first item. */
function sectionGroups(
  sec: MessageSection,
  divide: boolean,
): { blocks: SlackBlock[]; items: MessageItem[]; firstItem: number }[] {
  const groups = sec.items.map((item, i) => ({ blocks: itemBlocks(item), items: [item], firstItem: i }));
  const lead: SlackBlock[] = [];
  if (divide && sec.heading) lead.push({ type: 'divider' });
  if (sec.heading) lead.push(section(`*${fitInline(sec.heading, 200)}*`));
  if (groups[0]) groups[0].blocks.unshift(...lead);
  else if (lead.length) groups.push({ blocks: lead, items: [], firstItem: 0 });
  if (sec.more && sec.more.count > 0)
    groups.push({ blocks: [context(moreLine(sec.more.count, sec.more.hint))], items: [], firstItem: sec.items.length });
  return groups;
}

/**
 * One item: its text (as a link when it has a URL) and note in a section, the rest
 * as small context. Each part has its own cap (label 200, attribution 200, text
 * 1,200, note 400, URL 800), so the section stays under 3,000 characters.
 */
function itemBlocks(item: MessageItem): SlackBlock[] {
  const label = item.label ? `*${fitInline(item.label, 200)}*${labelSeparator(item.label)}` : '';
  const who = item.attribution ? `${fitInline(item.attribution, 200)}: ` : '';
  const text = fitEscaped(item.text.trim(), 1200);
  const lines = [`• ${label}${who}${item.url ? slackLink(item.url, text) : text}`];
  if (item.note)
    lines.push(`${noteLead(item) ? `_${noteLead(item).trim()}_ ` : ''}${fitEscaped(item.note.trim(), 400)}`);
  const blocks: SlackBlock[] = [section(lines.join('\n'))];

  const small = [
    citationText(item.citations),
    ...visibleMarkLabels(item.marks).map((m) => `_${m}_`),
    item.meta ? fitInline(item.meta, 1000) : '',
  ].filter(Boolean);
  if (small.length) blocks.push(context(small.join(' · ')));
  return blocks;
}

/** The sources as one context block: "[n] <url|label> — reliability note" per line. */
function sourceBlocks(sources: NonNullable<Message['sources']>, command: string): SlackBlock[] {
  if (sources.length === 0) return [];
  const lines = ['*Sources*'];
  let length = lines[0]!.length;
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i]!;
    const label = fitInline(s.label, 300);
    const note = s.note ? ` — _${fitInline(s.note, 300)}_` : '';
    const line = `[${s.n}] ${s.url ? slackLink(s.url, label) : label}${note}`;
    // Leave room for the "and N more sources" line.
    if (length + line.length + 1 > SLACK_LIMITS.contextText - 120) {
      lines.push(moreLine(sources.length - i, `/${command} sources`));
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return [{ type: 'divider' }, context(lines.join('\n'))];
}

function moreLine(count: number, hint: string): string {
  return moreText(count, fitInline(hint, 200));
}

/** The escaped plain-text fallback: title, intro and item lines, cut at a line. */
function fallbackText(message: Message): string {
  const lines = [escapeInline(message.title)];
  if (message.intro) lines.push(escapeSlack(message.intro.trim()));
  const items = message.sections.flatMap((s) => s.items);
  let length = lines.join('\n').length;
  if (length > SLACK_LIMITS.fallbackText) return fitInline(message.title, SLACK_LIMITS.fallbackText);
  let shown = 0;
  for (const item of items) {
    const line = `• ${item.label ? `${escapeInline(item.label)}${labelSeparator(item.label)}` : ''}${escapeInline(item.text)}`;
    if (length + line.length + 1 > SLACK_LIMITS.fallbackText - 40) break;
    lines.push(line);
    length += line.length + 1;
    shown += 1;
  }
  const left = items.length - shown + message.sections.reduce((n, s) => n + (s.more?.count ?? 0), 0);
  if (left > 0) lines.push(`… and ${left} more`);
  return lines.join('\n');
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text, verbatim: true }] };
}

/** Counts blocks and their JSON length as blocks are added, against Slack's limits, keeping room for `reserve`. */
class Budget {
  private count: number;
  private chars: number;

  constructor(initial: SlackBlock[], reserve: SlackBlock[]) {
    this.count = initial.length + reserve.length;
    this.chars = 2 + jsonLength(initial) + jsonLength(reserve); // 2 for "[]"
  }

  /** Adds the blocks if they fit; false (and nothing added) if not. */
  tryAdd(blocks: SlackBlock[]): boolean {
    const chars = jsonLength(blocks);
    if (this.count + blocks.length > SLACK_LIMITS.blocks || this.chars + chars > SLACK_LIMITS.blocksJson) return false;
    this.count += blocks.length;
    this.chars += chars;
    return true;
  }
}

function jsonLength(blocks: SlackBlock[]): number {
  return blocks.reduce((n, b) => n + JSON.stringify(b).length + 1, 0);
}
