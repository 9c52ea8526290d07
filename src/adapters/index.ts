import type { AdapterModule } from './adapter-module.js';

/** Platform id → its module, loaded on first use. */
export type PlatformRegistry = Readonly<Record<string, () => Promise<AdapterModule>>>;

/**
 * Every platform the bot speaks; add one by adding its folder and a line here.
 * Modules load on first use, so commands that only need the platform names (config
 * checks) or one platform's renderer do not load every chat SDK.
 */
export const PLATFORMS: PlatformRegistry = {
  terminal: async () => (await import('./terminal/index.js')).terminalModule,
  slack: async () => (await import('./slack/index.js')).slackModule,
  discord: async () => (await import('./discord/index.js')).discordModule,
};

/** The platform ids the config may name (digests, admins, notices). */
export const PLATFORM_IDS: readonly string[] = Object.keys(PLATFORMS);

export async function adapterModule(
  platform: string,
  registry: PlatformRegistry = PLATFORMS,
): Promise<AdapterModule | undefined> {
  return Object.hasOwn(registry, platform) ? registry[platform]!() : undefined;
}

/** Every platform's module, in registry order. */
export async function adapterModules(registry: PlatformRegistry = PLATFORMS): Promise<AdapterModule[]> {
  return Promise.all(Object.values(registry).map((load) => load()));
}
