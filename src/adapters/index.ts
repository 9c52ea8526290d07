import type { AdapterModule } from './adapter-module.js';
import { discordModule } from './discord/index.js';
import { slackModule } from './slack/index.js';
import { terminalModule } from './terminal/index.js';

/** Every platform the bot speaks; add one by adding its folder and a line here. */
export const ADAPTER_MODULES: AdapterModule[] = [terminalModule, slackModule, discordModule];

export function adapterModule(platform: string): AdapterModule | undefined {
  return ADAPTER_MODULES.find((m) => m.platform === platform);
}
