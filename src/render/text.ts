import type { Message, MessageItem } from '../messages/message.js';
import { displayWidth } from './display-width.js';
import { citationText, labelSeparator, moreText, noteLead, visibleMarkLabels } from './item-parts.js';
import { stripControls } from './untrusted-text.js';

/**
 * Renders a message as plain text for the terminal and logs. Control characters
 * from feeds are removed so a story title cannot move the cursor or recolour the
 * terminal.
 */
export function renderText(message: Message): string {
  const lines: string[] = [];
  const title = clean(message.title);
  lines.push(title, underline(title, '='));
  if (message.intro) lines.push(clean(message.intro), '');
  for (const section of message.sections) {
    if (section.heading) {
      const heading = clean(section.heading);
      lines.push('', heading, underline(heading, '-'));
    }
    for (const item of section.items) lines.push(...itemLines(item));
    if (section.more && section.more.count > 0)
      lines.push(`  ${moreText(section.more.count, clean(section.more.hint))}`);
  }
  if (message.sources?.length) {
    lines.push('', 'Sources');
    for (const s of message.sources) lines.push(`  [${s.n}] ${clean(s.label)}${s.url ? ` <${clean(s.url)}>` : ''}`);
  }
  if (message.footer) lines.push('', clean(message.footer));
  return lines.join('\n');
}

/** A line under a heading as wide as it looks (日米 is four columns), at most 72 columns. */
function underline(heading: string, char: string): string {
  return char.repeat(Math.min(displayWidth(heading), 72));
}

function itemLines(item: MessageItem): string[] {
  const marks = visibleMarkLabels(item.marks).map((m) => `(${m})`);
  const label = item.label ? `${clean(item.label)}${labelSeparator(item.label)}` : '';
  const text = item.attribution ? `${clean(item.attribution)}: ${clean(item.text)}` : clean(item.text);
  const head = [`• ${label}${text}`, citationText(item.citations), ...marks].filter(Boolean).join(' ');
  const out = [head];
  if (item.meta) out.push(`    ${clean(item.meta)}`);
  if (item.url) out.push(`    ${clean(item.url)}`);
  if (item.note) out.push(`    ${noteLead(item)}${clean(item.note)}`);
  return out;
}

function clean(text: string): string {
  return stripControls(text);
}
