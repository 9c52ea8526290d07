import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { statusFileFor } from '../../src/bot/bot-status.js';
import { loadConfig } from '../../src/config/load-config.js';
import { openStore, sqliteFile } from '../../src/store/open-store.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { openErrorMessage } from '../../src/store/sqlite/open-error.js';
import { DatabaseBusyError, LATEST_VERSION, migrate, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot, shippedConfig } from '../helpers/paths.js';
import { story } from './story-factory.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'dealbot-citizen-'));
const seenAt = '2026-01-01T00:00:00.000Z';

/** A database at the latest schema with one story, closed. */
function storedDatabase(): string {
  const file = path.join(tempDir(), 'bot.db');
  const store = openSyncStore(file);
  store.stories.upsert([story({ id: 's1', url: 'https://example.com/s1' })], { seenAt });
  store.close();
  return file;
}

/** Another connection holding the write lock, as the running bot does mid-poll. */
function holdWriteLock(file: string): Database.Database {
  const writer = new Database(file);
  writer.exec('BEGIN IMMEDIATE');
  writer.prepare("INSERT INTO feed_state (feed_id, url) VALUES ('writer', 'https://example.com/feed')").run();
  return writer;
}

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

describe('opening takes no write lock when nothing needs migrating', () => {
  it('opens, reads and closes beside a writer holding a write transaction (WAL), without waiting', () => {
    const file = storedDatabase();
    const writer = holdWriteLock(file);
    open.push(writer);
    const started = Date.now();
    const reader = openSyncStore(file, { readonly: true });
    expect(reader.stories.count()).toBe(1);
    reader.close();
    // A read-write open (dealbot poll --once beside the bot) does not wait for the lock either.
    const second = openSyncStore(file);
    expect(second.stories.count()).toBe(1);
    second.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('opens a database that SQLite may only read: reads work, writes are refused', () => {
    const file = storedDatabase();
    const store = openSyncStore(file, { readonly: true });
    expect(store.stories.get('s1')?.id).toBe('s1');
    expect(() => store.stories.upsert([story({ id: 's2' })], { seenAt })).toThrow(/readonly/);
    store.close();
    // A migrate call on a current read-only connection neither writes nor fails.
    const db = new Database(file, { readonly: true });
    open.push(db);
    expect(migrate(db)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
  });

  it('dealbot feeds, why and ask answer while another process holds the write lock', async () => {
    const file = storedDatabase();
    const writer = holdWriteLock(file);
    open.push(writer);
    const env = { DEALBOT_DB: file };
    const feeds = await runCli(['feeds', '--config', shippedConfig, '--json'], { env });
    expect(feeds.stderr).toBe('');
    expect(feeds.code).toBe(0);
    const why = await runCli(['why', '--config', shippedConfig, 'https://example.com/s1'], { env });
    expect(why.stderr).toBe('');
    expect(why.stdout).toContain('s1');
    const ask = await runCli(['ask', '--config', shippedConfig, '/deal latest'], { env });
    expect(ask.stderr).toBe('');
    expect(ask.code).toBe(0);
    writer.exec('ROLLBACK');
  }, 30_000);
});

describe('a busy database says so', () => {
  /** A database one migration behind, so opening it has work to do. */
  function behindDatabase(): string {
    const file = path.join(tempDir(), 'old.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrate(db, MIGRATIONS.slice(0, LATEST_VERSION - 1));
    db.close();
    return file;
  }

  it('names the other writer and the file when the lock never comes', () => {
    const file = behindDatabase();
    const writer = new Database(file);
    open.push(writer);
    writer.exec('BEGIN IMMEDIATE');
    const db = new Database(file, { timeout: 200 });
    open.push(db);
    const said: string[] = [];
    let error: unknown;
    try {
      migrate(db, MIGRATIONS, { name: file, onBusy: (m) => said.push(m) });
    } catch (err) {
      error = err;
    }
    expect(said).toEqual([`another dealbot process is writing to ${file}; retrying`]);
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect((error as Error).message).toBe(
      `cannot update the schema of ${file}: another dealbot process has been writing to it for more than 0.2 s (SQLite: database is locked); try again when it has finished`,
    );
    // The wait is the connection's own busy timeout, restored afterwards.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(200);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION - 1);
  });

  it('says it is retrying, then migrates once the other process commits', async () => {
    const file = behindDatabase();
    // Another process takes the write lock, says so, and commits 400 ms later.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)});
         db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
         db.exec('COMMIT'); db.close();`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const said: string[] = [];
    const store = openSyncStore(file, { onBusy: (m) => said.push(m) });
    expect(said).toEqual([`another dealbot process is writing to ${file}; retrying`]);
    store.close();
    const check = new Database(file, { readonly: true });
    open.push(check);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    await new Promise((resolve) => holder.on('close', resolve));
  }, 20_000);
  it('a write that still finds the lock taken names the file and the other writer', () => {
    const file = storedDatabase();
    const writer = holdWriteLock(file);
    open.push(writer);
    const store = openSyncStore(file, { busyTimeoutMs: 150 });
    expect(store.stories.count()).toBe(1); // reading never waits in WAL
    expect(() => store.stories.upsert([story({ id: 's2' })], { seenAt })).toThrow(
      `${file} is busy: another dealbot process has been writing to it for more than 0.15 s (SQLite: database is locked); try again when it has finished`,
    );
    writer.exec('ROLLBACK');
    store.stories.upsert([story({ id: 's2' })], { seenAt });
    expect(store.stories.count()).toBe(2);
    store.close();
    const reader = openSyncStore(file, { readonly: true });
    expect(() => reader.feeds.list()).not.toThrow();
    expect(() => reader.stories.upsert([story({ id: 's3' })], { seenAt })).toThrow(
      `cannot write to ${file}: it is open read-only, or the file is read-only for this user (SQLite: attempt to write a readonly database)`,
    );
    reader.close();
  });
});

describe('open errors name the file and the cause', () => {
  it('a parent that is a file, not a folder', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'data'), 'not a folder');
    for (const file of [path.join(dir, 'data', 'dealbot.db'), path.join(dir, 'data', 'deeper', 'dealbot.db')]) {
      expect(() => openSyncStore(file)).toThrow(
        `cannot create ${file}: ${path.join(dir, 'data')} is a file, not a folder`,
      );
    }
  });

  it('a missing folder or file for a command that only reads, and nothing created', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'nowhere', 'dealbot.db');
    expect(() => openSyncStore(missing, { readonly: true })).toThrow(
      `cannot read ${missing}: no such folder ${path.join(dir, 'nowhere')}`,
    );
    expect(() => openSyncStore(path.join(dir, 'none.db'), { readonly: true })).toThrow(
      `cannot read ${path.join(dir, 'none.db')}: no such file`,
    );
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  it('a folder where the file should be, and a file that is not a database', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'bot.db'));
    expect(() => openSyncStore(path.join(dir, 'bot.db'))).toThrow(
      `cannot open ${path.join(dir, 'bot.db')}: it is a folder, not a database file`,
    );
    expect(() => openSyncStore(path.join(dir, 'bot.db'), { readonly: true })).toThrow(
      /it is a folder, not a database file/,
    );
    writeFileSync(path.join(dir, 'notes.db'), 'plain text, long enough to be read as a header by SQLite itself.');
    expect(() => openSyncStore(path.join(dir, 'notes.db'))).toThrow(
      `cannot open ${path.join(dir, 'notes.db')}: it is not a SQLite database (another file is at that path)`,
    );
  });

  it('a folder that is not writable (EACCES), named as the nearest one that exists', () => {
    // Tests run as root, which ignores permissions: the file system's answer is simulated, the paths are real.
    const dir = tempDir();
    const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const file = path.join(dir, 'data', 'dealbot.db');
    expect(openErrorMessage(eacces, file, 'create')).toBe(
      `cannot create ${file}: the folder ${dir} is not writable by this user`,
    );
    const readOnlyDir = Object.assign(new Error('attempt to write a readonly database'), {
      code: 'SQLITE_READONLY_DIRECTORY',
    });
    expect(openErrorMessage(readOnlyDir, path.join(dir, 'bot.db'), 'read')).toMatch(
      /^cannot read .*bot\.db: the folder .* is not writable by this user, and a database in WAL mode needs its -shm file/,
    );
    // Errors that are not about opening keep their own words.
    expect(openErrorMessage(new Error('database migration 3 failed: boom'), file, 'open')).toBeUndefined();
  });
});

describe('where the database is: :memory:, sqlite: URLs, and schemes not supported yet', () => {
  const configDir = tempDir();
  const config = path.join(configDir, 'dealbot.yaml');
  writeFileSync(config, 'storage:\n  database: data/dealbot.db\n');

  it('DEALBOT_DB=":memory:" stays in memory: no file, no folder', async () => {
    const cwd = process.cwd();
    const loaded = await loadConfig(config, { DEALBOT_DB: ':memory:' });
    expect(loaded.databasePath).toBe(':memory:');
    const store = openSyncStore(loaded.databasePath);
    store.stories.upsert([story({ id: 'm1' })], { seenAt });
    expect(store.stories.count()).toBe(1);
    store.close();
    expect(existsSync(path.join(cwd, ':memory:'))).toBe(false);
  });

  it('the bot status file sits beside the SQLite file, and never at ":memory:-status.json"', () => {
    expect(statusFileFor('/data/dealbot.db')).toBe('/data/dealbot.db-status.json');
    expect(statusFileFor('sqlite:///data/dealbot.db')).toBe('/data/dealbot.db-status.json');
    expect(path.dirname(statusFileFor(':memory:'))).toBe(tmpdir());
  });

  it('sqlite: URLs name a file; other schemes stay URLs for openStore to refuse', async () => {
    const dir = tempDir();
    expect(sqliteFile(`sqlite://${dir}/a.db`)).toBe(`${dir}/a.db`);
    expect(sqliteFile('sqlite:data/b.db')).toBe('data/b.db');
    expect(sqliteFile('sqlite::memory:')).toBe(':memory:');
    expect(sqliteFile(`file://${dir}/c.db`)).toBe(`${dir}/c.db`);
    openSyncStore(`sqlite://${dir}/a.db`).close();
    expect(existsSync(path.join(dir, 'a.db'))).toBe(true);
    for (const url of ['postgres://u:secret@db.example/dealbot', 'mysql://db/dealbot', 'sqlite:x.db']) {
      expect((await loadConfig(config, { DEALBOT_DB: url })).databasePath).toBe(url);
    }
  });

  it('opens postgres:// with PostgreSQL, refuses mysql:// by scheme, says what works, and never prints a password', async () => {
    // Nothing listens on port 1: the PostgreSQL engine was asked (not a file), and the password stays hidden.
    const refused = openStore('postgres://u:secret@127.0.0.1:1/dealbot');
    await expect(refused).rejects.toThrow('cannot connect to PostgreSQL at 127.0.0.1:1/dealbot: connection refused');
    await expect(refused).rejects.not.toThrow(/secret/);
    expect(() => sqliteFile('postgres://u:secret@db.example/dealbot')).toThrow(
      'the database "postgres://u:***@db.example/dealbot" is PostgreSQL, not a SQLite file',
    );
    await expect(openStore('mysql://db/dealbot')).rejects.toThrow(
      /uses mysql:, which this dealbot does not support yet/,
    );
    await expect(openStore('backup:2026.db')).rejects.toThrow(
      /for a file whose name has a colon, write \.\/backup:2026\.db/,
    );
    expect(existsSync(path.join(process.cwd(), 'postgres:'))).toBe(false);
  });

  it('the CLI connects to PostgreSQL for a postgres:// URL, instead of creating a folder named after the scheme', async () => {
    const r = await runCli(['feeds', '--config', shippedConfig], {
      env: { DEALBOT_DB: 'postgres://u:secret@127.0.0.1:1/dealbot' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot connect to PostgreSQL at 127.0.0.1:1/dealbot: connection refused');
    expect(r.stderr).not.toContain('secret');
    expect(existsSync(path.join(repoRoot, 'postgres:'))).toBe(false);
  }, 30_000);
});
