import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/logger.js';
import { loadBotFiles, type BotFiles } from './load-bot-files.js';
import { formatProblems, InvalidFileError } from '../files/problems.js';

/**
 * The config and briefs the running bot uses, reloaded when an admin edits them
 * (file change or SIGHUP). An invalid edit keeps the last good version running
 * and says why in the log, so a typo never takes the bot down.
 */
export class LiveBotFiles {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private listeners: ((files: BotFiles) => void)[] = [];
  private reloading: Promise<boolean> | undefined;

  constructor(
    private files: BotFiles,
    private readonly configFile: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
    private readonly platformIds?: readonly string[],
  ) {}

  get current(): BotFiles {
    return this.files;
  }

  /** Called with the new files after each successful reload. */
  onReload(listener: (files: BotFiles) => void): void {
    this.listeners.push(listener);
  }

  /** Reloads now; resolves true when the new files are in use. Concurrent calls share one reload. */
  reload(): Promise<boolean> {
    this.reloading ??= this.doReload().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async doReload(): Promise<boolean> {
    try {
      const next = await loadBotFiles(this.configFile, this.env, this.platformIds);
      this.files = next;
      this.logger.info(
        { briefs: next.briefs.ids(), feeds: next.loaded.config.feeds.list.length },
        'config and briefs reloaded',
      );
      for (const l of this.listeners) l(next);
      return true;
    } catch (err) {
      const detail = err instanceof InvalidFileError ? formatProblems(err.problems) : (err as Error).message;
      // The problems once, in their own field: a terminal prints them as a block under the message.
      this.logger.error(
        { problems: detail },
        'reload refused: still running the last good config and briefs; fix these problems and save again',
      );
      return false;
    }
  }

  /** Watches the config file and the briefs folder; editors that replace files are handled by watching folders. */
  watch(): void {
    const configDir = path.dirname(this.files.loaded.file);
    const configName = path.basename(this.files.loaded.file);
    const briefsDir = this.files.loaded.briefsDir;
    const schedule = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), 300);
    };
    const add = (dir: string, filter: (name: string) => boolean) => {
      try {
        const w = watch(dir, (_event, name) => {
          if (name && filter(name.toString())) schedule();
        });
        w.on('error', (err) => this.logger.warn({ err, dir }, 'file watching stopped; send SIGHUP to reload'));
        this.watchers.push(w);
      } catch (err) {
        this.logger.warn({ err, dir }, 'cannot watch for edits; send SIGHUP to reload');
      }
    };
    add(configDir, (n) => n === configName);
    if (briefsDir !== configDir) add(briefsDir, (n) => /\.ya?ml$/.test(n));
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
