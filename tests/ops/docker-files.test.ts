import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLI_COMMAND_NAMES } from '../../src/cli/registry.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * The Docker files, read as Docker reads them (there is no Docker engine in CI to
 * build the image): what .dockerignore keeps out of the build context, what the
 * Dockerfile copies and checks, and the README's `docker run` beside compose.yaml.
 */

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

/** .dockerignore's rules: Go-style globs from the context root, `**` for any depth, `!` to re-include, last match wins. */
function dockerIgnore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const keep = line.startsWith('!');
      const pattern = path.posix.normalize(line.slice(keep ? 1 : 0).replace(/^\/+/, '')).replace(/\/+$/, '');
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return { keep, regex: new RegExp(`^${source}$`) };
    });
  return (file) => {
    // A pattern matching a folder excludes everything in it.
    const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.keep;
    return excluded;
  };
}

/** The build-context sources of the Dockerfile's COPY lines (not --from=build ones). */
function copySources(dockerfile: string): string[] {
  return dockerfile
    .split('\n')
    .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
    .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
}

describe('.dockerignore', () => {
  const ignored = dockerIgnore(read('.dockerignore'));

  it('keeps node_modules, builds, databases, secrets, git history and tests out of the build context', () => {
    for (const file of [
      'node_modules/better-sqlite3/package.json',
      'dist/cli/index.js',
      'data/dealbot.db',
      'dealbot.db',
      'config/old.db',
      'data/dealbot.db-wal',
      'elsewhere/dealbot.db-status.json',
      '.env',
      '.env.production',
      '.git/HEAD',
      'coverage/index.html',
      'tests/e2e/bot.e2e.test.ts',
    ])
      expect(ignored(file), file).toBe(true);
  });

  it('keeps every file the Dockerfile copies', () => {
    const sources = copySources(read('Dockerfile'));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'scripts', 'src', 'config', 'briefs']));
    const tracked = execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const source of sources) {
      const files = tracked.filter((f) => f === source || f.startsWith(`${source}/`));
      expect(files.length, `${source} is in git`).toBeGreaterThan(0);
      for (const file of files) expect(ignored(file), `${file} reaches the build`).toBe(false);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('checks health with `dealbot health`, a command the CLI has', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "dist\/cli\/index\.js", "health"\]$/m);
    expect(CLI_COMMAND_NAMES).toContain('health');
  });

  it('installs dependencies before copying src/, with the script prepare runs already there', () => {
    const lines = dockerfile.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    expect(at(/^COPY scripts /)).toBeLessThan(at(/^RUN npm ci /));
    expect(at(/^RUN npm ci /)).toBeLessThan(at(/^COPY src /));
    expect(at(/^COPY src /)).toBeLessThan(at(/^RUN npm run build /));
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('node scripts/ensure-build.mjs');
  });
});

describe('compose.yaml and the README', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<string, { env_file: string; volumes: string[]; restart: string; healthcheck: { test: string[] } }>;
    volumes: Record<string, unknown>;
  };

  it('runs one service with .env, the three volumes, a restart policy and the health check', () => {
    const services = Object.values(compose.services);
    expect(services).toHaveLength(1);
    const bot = services[0]!;
    expect(bot.env_file).toBe('.env');
    expect(bot.volumes).toEqual(['./config:/app/config:ro', './briefs:/app/briefs:ro', 'dealbot-data:/data']);
    expect(Object.keys(compose.volumes)).toEqual(['dealbot-data']);
    expect(bot.restart).toBe('unless-stopped');
    expect(bot.healthcheck.test).toEqual(['CMD', 'node', 'dist/cli/index.js', 'health']);
  });

  it("shows the same mounts in the README's docker run, and keeps the two commands on its first screen", () => {
    const readme = read('README.md');
    const docker = readme.slice(readme.indexOf('## Docker'));
    const run = /docker run [^`]*/.exec(docker)?.[0] ?? '';
    for (const mount of ['"$PWD/config:/app/config:ro"', '"$PWD/briefs:/app/briefs:ro"', 'dealbot-data:/data'])
      expect(run).toContain(`-v ${mount}`);
    expect(run).toContain('--env-file .env');
    const twoCommands = readme.slice(readme.indexOf('## Two commands'), readme.indexOf('## Chat commands'));
    expect(twoCommands).toContain('```sh\nnpm install && npm start\n```');
    expect(twoCommands).toContain('```sh\nnpm install && npm test\n```');
  });
});

describe('compose.replicas.yaml', () => {
  type Service = {
    image?: string;
    build?: string;
    env_file?: string;
    environment?: Record<string, string>;
    volumes?: string[];
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    restart?: string;
  };
  // Compose resolves YAML merge keys (<<), as `yaml` does with merge: true.
  const compose = parse(read('compose.replicas.yaml'), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

  it('runs PostgreSQL 15 with a health check and a volume for its data', () => {
    const pg = compose.services.postgres!;
    expect(pg.image).toBe('postgres:15');
    expect(pg.healthcheck?.test.join(' ')).toContain('pg_isready -U dealbot -d dealbot');
    expect(pg.volumes).toEqual(['dealbot-pg:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes)).toEqual(['dealbot-pg']);
    expect(pg.environment?.POSTGRES_DB).toBe('dealbot');
  });

  it('runs two replicas from the Dockerfile on that database, with one read-only config, once it is healthy', () => {
    const replicas = Object.entries(compose.services).filter(([name]) => name !== 'postgres');
    expect(replicas.map(([name]) => name)).toEqual(['dealbot-a', 'dealbot-b']);
    const pgUser = compose.services.postgres!.environment!;
    for (const [name, bot] of replicas) {
      expect(bot.build, name).toBe('.');
      expect(bot.env_file, name).toBe('.env');
      expect(bot.restart, name).toBe('unless-stopped');
      expect(bot.volumes, name).toEqual(['./config:/app/config:ro', './briefs:/app/briefs:ro']);
      expect(bot.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' } });
      // The URL names the service, user, password and database PostgreSQL is started with.
      const url = bot.environment?.DEALBOT_DB ?? '';
      expect(url, name).toBe(
        `postgres://${pgUser.POSTGRES_USER}:${pgUser.POSTGRES_PASSWORD}@postgres:5432/${pgUser.POSTGRES_DB}`,
      );
    }
    expect(pgUser.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
  });

  it('is described in docs/scale-out.md with the command that starts it, and POSTGRES_PASSWORD in .env.example', () => {
    expect(read('docs/scale-out.md')).toContain('docker compose -f compose.replicas.yaml up -d --build');
    expect(read('compose.replicas.yaml')).toContain('docker compose -f compose.replicas.yaml up -d --build');
    expect(read('.env.example')).toMatch(/^# POSTGRES_PASSWORD=$/m);
  });
});

describe('.env.example', () => {
  /**
   * `docker run --env-file` reads a line as KEY=VALUE: everything after the first "="
   * is the value, quotes and a trailing "# comment" included; only a line starting
   * with "#" is a comment. Assignments are shipped commented out; once a user removes
   * the "# ", the value must still be only the value.
   */
  const lines = read('.env.example').split('\n');
  const assignments = lines
    .map((line, i) => ({ n: i + 1, m: /^(?:#\s?)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trimStart()) }))
    .filter((a) => a.m)
    .map((a) => ({ n: a.n, key: a.m![1]!, value: a.m![2]! }));

  it('has no comment or quotes inside a value, so each line works with --env-file once uncommented', () => {
    expect(assignments.map((a) => a.key)).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'DEALBOT_DB', 'LOG_LEVEL', 'HEALTH_PORT']),
    );
    for (const { n, key, value } of assignments) {
      expect(value, `.env.example line ${n} (${key})`).not.toMatch(/\s#/);
      expect(value, `.env.example line ${n} (${key})`).not.toMatch(/\s$|^["']/);
    }
  });

  it('has only comments, blank lines and assignments', () => {
    lines.forEach((line, i) => {
      const ok = line.trim() === '' || line.trimStart().startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(line);
      expect(ok, `.env.example line ${i + 1}: ${line}`).toBe(true);
    });
  });
});
