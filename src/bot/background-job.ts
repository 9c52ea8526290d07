/** Something that runs in the background while the bot is up (poller, digest schedules). */
export interface BackgroundJob {
  name: string;
  start(): void | Promise<void>;
  /** Finishes what is in flight, then stops. */
  stop(): Promise<void>;
}
