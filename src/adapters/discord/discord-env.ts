import { z } from 'zod';

/** The Discord settings read from the environment; secrets never live in the config file. */
export interface DiscordEnv {
  token: string;
  /** The application (bot user) id: DISCORD_APPLICATION_ID, else decoded from the token. */
  applicationId: string | undefined;
  /** REST base URL without the version (default https://discord.com/api). */
  apiUrl: string | undefined;
  /** The HTTP interactions endpoint, on when DISCORD_PUBLIC_KEY is set. */
  interactions?: { publicKey: string; port: number };
}

/** DISCORD_INTERACTIONS_PORT's default: next to Slack's HTTP mode (3000), so both can run at once. */
export const DEFAULT_INTERACTIONS_PORT = 3001;

const snowflake = z.string().regex(/^\d{17,20}$/, 'expected a numeric id (17–20 digits) from the developer portal');

// A bot token is three dot-separated base64url parts. The messages never echo the token.
const token = z
  .string()
  .refine((t) => !/^bot\s/i.test(t), 'remove the "Bot " prefix: dealbot adds it itself')
  .refine((t) => !/\s/.test(t), 'the token contains spaces or a line break; copy it again from the Bot tab')
  .refine(
    (t) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t),
    'this does not look like a bot token (three parts separated by dots); copy it from the Bot tab, not the client secret',
  );

const apiUrl = z.url({
  protocol: /^https?$/,
  error: 'expected an http:// or https:// URL such as https://discord.com/api',
});

const publicKey = z
  .string()
  .regex(
    /^[0-9a-fA-F]{64}$/,
    'expected 64 hex characters: developer portal → your application → General Information → Public Key',
  );

const port = z
  .string()
  .regex(/^\d{1,5}$/, 'expected a port number such as 3001')
  .transform(Number)
  .pipe(z.number().max(65535, 'expected a port number up to 65535'));

const schema = z.object({
  DISCORD_TOKEN: token.optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_API_URL: apiUrl.optional(),
  DISCORD_PUBLIC_KEY: publicKey.optional(),
  DISCORD_INTERACTIONS_PORT: port.optional(),
});

/** Thrown for a half-set or malformed Discord environment, with a message that says what to fix. */
export class DiscordEnvError extends Error {
  override name = 'DiscordEnvError';
}

/**
 * Reads the Discord variables. Returns null when none is set (Discord is off);
 * throws DiscordEnvError when some are set without DISCORD_TOKEN, or one is malformed,
 * so a typo is a clear error at start instead of a silent fallback to the terminal.
 */
export function parseDiscordEnv(env: NodeJS.ProcessEnv): DiscordEnv | null {
  const raw = {
    DISCORD_TOKEN: blankToUndefined(env.DISCORD_TOKEN),
    DISCORD_APPLICATION_ID: blankToUndefined(env.DISCORD_APPLICATION_ID),
    DISCORD_API_URL: blankToUndefined(env.DISCORD_API_URL),
    DISCORD_PUBLIC_KEY: blankToUndefined(env.DISCORD_PUBLIC_KEY),
    DISCORD_INTERACTIONS_PORT: blankToUndefined(env.DISCORD_INTERACTIONS_PORT),
  };
  if (Object.values(raw).every((v) => v === undefined)) return null;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new DiscordEnvError(`Discord is half-configured:\n  ${lines.join('\n  ')}\nSee docs/discord.md.`);
  }
  const { DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL, DISCORD_PUBLIC_KEY, DISCORD_INTERACTIONS_PORT } =
    parsed.data;
  if (!DISCORD_TOKEN) {
    const set = Object.entries(raw)
      .filter(([, v]) => v)
      .map(([k]) => k)
      .join(' and ');
    throw new DiscordEnvError(
      `${set} ${set.includes(' and ') ? 'are' : 'is'} set but DISCORD_TOKEN is not. Set DISCORD_TOKEN (developer portal → your application → Bot → Reset Token) to connect Discord, or unset ${set} to run without it. See docs/discord.md.`,
    );
  }
  if (DISCORD_INTERACTIONS_PORT !== undefined && !DISCORD_PUBLIC_KEY)
    throw new DiscordEnvError(
      'DISCORD_INTERACTIONS_PORT is set but DISCORD_PUBLIC_KEY is not: the HTTP interactions endpoint cannot check requests without it. Set DISCORD_PUBLIC_KEY (developer portal → General Information → Public Key), or unset DISCORD_INTERACTIONS_PORT to take interactions over the gateway only. See docs/discord.md.',
    );
  return {
    token: DISCORD_TOKEN,
    applicationId: DISCORD_APPLICATION_ID ?? applicationIdFromToken(DISCORD_TOKEN),
    apiUrl: DISCORD_API_URL,
    ...(DISCORD_PUBLIC_KEY
      ? {
          interactions: {
            publicKey: DISCORD_PUBLIC_KEY.toLowerCase(),
            port: DISCORD_INTERACTIONS_PORT ?? DEFAULT_INTERACTIONS_PORT,
          },
        }
      : {}),
  };
}

/** A bot token's first part is its user id in base64; for bots that is the application id. */
export function applicationIdFromToken(botToken: string): string | undefined {
  const first = botToken.split('.')[0] ?? '';
  const decoded = Buffer.from(first, 'base64url').toString('utf8');
  return /^\d{17,20}$/.test(decoded) ? decoded : undefined;
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
