import { formatAge } from '../messages/format-age.js';
import type { Message, MessageItem } from '../messages/message.js';
import type { Delivery } from '../store/digest-ledger.js';
import { formatLocalTime } from './wall-clock.js';

/** A digest posted more than this after its slot says so, whatever held it up. */
export const POST_LATE_AFTER_MS = 15 * 60_000;

export interface PostTimeMessage {
  message: Message;
  /** Posted well after its slot (or already late when composed). */
  late: boolean;
}

/**
 * The message of a delivery as it should read when it is posted, not when it was
 * composed: a retry 40 minutes later must not say "31m ago" for a story now 74
 * minutes old, nor go out unmarked after its slot. Ages are recomputed from each
 * item's `time`; a digest posted more than POST_LATE_AFTER_MS after its slot gets a
 * late line if it has none.
 */
export function atPostTime(delivery: Delivery, message: Message, postAt: Date): PostTimeMessage {
  const composedAt = new Date(delivery.createdAt);
  const sections = message.sections.map((s) => ({ ...s, items: s.items.map((i) => reAge(i, composedAt, postAt)) }));
  const out: Message = { ...message, sections };
  const overdue = delivery.slot !== null && postAt.getTime() - Date.parse(delivery.slot) > POST_LATE_AFTER_MS;
  if (overdue && !delivery.late) {
    const slot = new Date(delivery.slot!);
    const due = delivery.timeZone
      ? `${formatLocalTime(slot, delivery.timeZone)} (${delivery.timeZone})`
      : `${formatLocalTime(slot, 'UTC')} (UTC)`;
    const line = `Sent late: due at ${due}; posting it kept failing until now.`;
    out.footer = out.footer ? `${out.footer}\n${line}` : line;
  }
  return { message: out, late: delivery.late || overdue };
}

/** Replaces the age the item was composed with ("31m ago") by its age now; other text is left alone. */
function reAge(item: MessageItem, composedAt: Date, postAt: Date): MessageItem {
  if (!item.time || !item.meta) return item;
  const then = Date.parse(item.time);
  const before = formatAge(then, composedAt);
  const after = formatAge(then, postAt);
  if (before === after) return item;
  const parts = item.meta.split(' · ');
  const at = parts.indexOf(before);
  if (at === -1) return item;
  parts[at] = after;
  return { ...item, meta: parts.join(' · ') };
}
