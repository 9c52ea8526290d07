import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Message } from '../messages/message.js';
import type { ChatAdapter } from '../messages/chat-adapter.js';
import { retryDelay, sleep, type RetryPolicy } from '../digests/retry-backoff.js';

export interface NoticeTarget {
  platform: string;
  channel: string;
}

/**
 * Where a notice may go, best first: admins.notices (or the fallback, the terminal
 * when the bot runs there); then, so a notice about a platform that is down is still
 * seen, the first digest channel of each other connected platform. Without a notices
 * channel there is nowhere: admins who set none are not told in their readers' channels.
 */
export function noticeTargets(config: Config, adapters: ChatAdapter[], fallback?: NoticeTarget): NoticeTarget[] {
  const primary = config.admins.notices ?? fallback;
  if (!primary) return [];
  const targets: NoticeTarget[] = [primary];
  for (const adapter of adapters) {
    if (targets.some((t) => t.platform === adapter.platform)) continue;
    const digest = config.digests.find((d) => d.platform === adapter.platform);
    if (digest) targets.push({ platform: digest.platform, channel: digest.channel });
  }
  return targets;
}

const where = (t: NoticeTarget) => `${t.platform}:${t.channel}`;

/**
 * Posts a notice to the first target that takes it. Resolves false when there is
 * nowhere to post (no notices channel, and no other platform with a channel), so
 * the poller keeps its notice pending; throws when every target failed.
 */
export async function postToAdmins(
  config: Config,
  adapters: ChatAdapter[],
  message: Message,
  logger: Logger,
  fallback?: NoticeTarget,
): Promise<boolean> {
  const targets = noticeTargets(config, adapters, fallback);
  if (targets.length === 0) {
    logger.warn(
      { notice: message.title },
      'no admins.notices channel in the config; the notice waits until one is set',
    );
    return false;
  }
  const failures: string[] = [];
  for (const [i, target] of targets.entries()) {
    const adapter = adapters.find((a) => a.platform === target.platform);
    if (!adapter) {
      failures.push(`${where(target)}: ${target.platform} is not connected`);
      continue;
    }
    try {
      await adapter.postToChannel(target.channel, i === 0 ? message : redirected(message, targets[0]!, failures));
      if (i > 0)
        logger.warn(
          { notice: message.title, shownIn: where(target), failed: failures },
          'admins.notices could not be reached; the notice was shown on another platform',
        );
      return true;
    } catch (err) {
      failures.push(`${where(target)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no channel took the notice (${failures.join('; ')})`);
}

/** A notice shown away from admins.notices says so, so readers of that channel know who it is for. */
function redirected(message: Message, intended: NoticeTarget, failures: string[]): Message {
  const why = `For the bot's admins: admins.notices (${where(intended)}) could not be reached (${failures.join('; ')}).`;
  return { ...message, intro: message.intro ? `${why}\n${message.intro}` : why };
}

export interface AdminNoticesDeps {
  getConfig: () => Config;
  /** The running adapters; read at each attempt. */
  adapters: ChatAdapter[];
  logger: Logger;
  /** Where notices go when the config names no admins.notices channel (the terminal, when the bot runs there). */
  fallback?: NoticeTarget;
  retry?: RetryPolicy;
}

/** Notices retry on this schedule, then are dropped with a log line that carries their text. */
export const NOTICE_RETRY: RetryPolicy = { delaysMs: [5_000, 30_000, 120_000, 600_000, 1_800_000] };

/**
 * The admins' notices as deliveries of their own: queued, posted in order, retried
 * when no channel takes them, shown on another connected platform when the notices
 * channel's is down, and logged with their text when nothing can show them. They
 * live in memory: a restart forgets the queue (every notice is in the log).
 */
export class AdminNotices {
  private readonly queue: Message[] = [];
  private worker: Promise<void> | null = null;
  private readonly aborter = new AbortController();

  constructor(private readonly deps: AdminNoticesDeps) {}

  /** Queues a notice; returns at once. */
  tell(message: Message): void {
    if (this.aborter.signal.aborted) return;
    this.deps.logger.warn({ notice: message.title }, 'notice for the admins');
    this.queue.push(message);
    this.worker ??= this.drain().finally(() => (this.worker = null));
  }

  /** Resolves when every queued notice was shown or given up (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  async stop(): Promise<void> {
    this.aborter.abort(new Error('notices stopped'));
    await this.worker?.catch(() => undefined);
    for (const message of this.queue.splice(0))
      this.deps.logger.error(
        { notice: message.title, text: textOf(message) },
        'admin notice not shown: the bot stopped',
      );
  }

  private async drain(): Promise<void> {
    const policy = this.deps.retry ?? NOTICE_RETRY;
    while (this.queue.length && !this.aborter.signal.aborted) {
      const message = this.queue[0]!;
      for (let retry = 0; ; retry++) {
        const error = await this.tryPost(message);
        if (error === null) break;
        const delay = retryDelay(policy, retry);
        const line = { notice: message.title, text: textOf(message), err: error };
        if (delay === undefined) {
          this.deps.logger.error({ ...line, attempts: retry + 1 }, 'admin notice dropped: no channel took it');
          break;
        }
        if (retry === 0)
          this.deps.logger.error(
            { ...line, retryInMs: delay },
            'admin notice could not be shown on any platform; it is retried (its text is here)',
          );
        try {
          await sleep(delay, this.aborter.signal);
        } catch {
          return;
        }
      }
      this.queue.shift();
    }
  }

  /** null when shown; else why not. */
  private async tryPost(message: Message): Promise<string | null> {
    const { getConfig, adapters, logger, fallback } = this.deps;
    try {
      const shown = await postToAdmins(getConfig(), adapters, message, logger, fallback);
      return shown ? null : 'no admins.notices channel, and no other connected platform has a channel';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
}

function textOf(message: Message): string {
  return [message.intro, ...message.sections.flatMap((s) => s.items.map((i) => i.text)), message.footer]
    .filter(Boolean)
    .join(' | ');
}
