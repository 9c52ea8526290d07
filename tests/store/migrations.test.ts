import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkOrder, LATEST_VERSION, migrate, MIGRATIONS, type Migration } from '../../src/store/sqlite/migrations.js';
import { createSqliteLeaseRepo } from '../../src/store/sqlite/sqlite-coordination.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { openStore, storeLocation } from '../../src/store/open-store.js';
import { story } from './story-factory.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'dealbot-store-'));

describe('migrations', () => {
  it('are numbered 1, 2, 3… so appending one entry is all a change needs', () => {
    expect(() => checkOrder(MIGRATIONS)).not.toThrow();
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(() => checkOrder([...MIGRATIONS, { version: MIGRATIONS.length + 2, name: 'gap', up: '' }])).toThrow(
      /expected/,
    );
  });

  it('apply once; reopening keeps the data and runs nothing again', () => {
    const file = path.join(tempDir(), 'nested', 'folder', 'dealbot.db');
    const first = openSyncStore(file); // creates the parent folders
    first.stories.upsert([story({ id: 'a' })], { seenAt: '2025-10-28T00:00:00.000Z' });
    first.close();
    const second = openSyncStore(file);
    expect(second.stories.count()).toBe(1);
    second.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(migrate(db)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
    db.close();
  });

  it('an appended migration runs on the next open, in a transaction with its version', () => {
    const db = new Database(':memory:');
    migrate(db);
    const next: Migration = {
      version: LATEST_VERSION + 1,
      name: 'digest ledger',
      up: 'CREATE TABLE ledger_test (id TEXT PRIMARY KEY);',
    };
    expect(migrate(db, [...MIGRATIONS, next])).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION + 1 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ledger_test'").get()).toBeTruthy();
    db.close();
  });

  it('a failing migration leaves the database at the last whole version', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      up: 'CREATE TABLE half_done (x); SELECT * FROM no_such_table;',
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/migration .* \(broken\) failed/);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database from a newer dealbot', () => {
    const file = path.join(tempDir(), 'newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    expect(() => openSyncStore(file)).toThrow(/newer than this dealbot knows/);
  });

  it('version 8 adds the leases and the replica registry to a version-7 database, keeping its data', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 7));
    db.prepare("INSERT INTO feed_state (feed_id, url) VALUES ('nhk', 'https://nhk.example/rss')").run();
    expect(migrate(db, MIGRATIONS.slice(0, 8))).toEqual({ from: 7, to: 8 });
    expect(MIGRATIONS[7]!.name).toBe('named leases and the replica registry');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('leases', 'replicas') ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['leases', 'replicas']);
    expect(db.prepare('SELECT url FROM feed_state').pluck().get()).toBe('https://nhk.example/rss');
    const leases = createSqliteLeaseRepo(db);
    expect(leases.acquire('discord-gateway', 'replica-a', 60_000)).toBe(true);
    expect(leases.holder('discord-gateway')?.holder).toBe('replica-a');
    db.close();
  });

  it('turns on foreign keys', () => {
    const store = openSyncStore(':memory:');
    store.close();
    const db = new Database(':memory:');
    migrate(db);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("INSERT INTO story_feeds VALUES ('nope', 'f', 'x')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('openStore', () => {
  it('picks SQLite for paths, :memory: and sqlite:// URLs, PostgreSQL for postgres:// URLs', async () => {
    await (await openStore(':memory:')).close();
    await (await openStore(path.join(tempDir(), 'a.db'))).close();
    await (await openStore(`sqlite://${path.join(tempDir(), 'b.db')}`)).close();
    expect(storeLocation('postgres://db/dealbot')).toEqual({ engine: 'postgres', url: 'postgres://db/dealbot' });
    expect(storeLocation('postgresql://db/dealbot').engine).toBe('postgres');
    // Nothing listens on port 1: the PostgreSQL engine was asked, and says where it could not connect.
    await expect(openStore('postgres://u@127.0.0.1:1/dealbot')).rejects.toThrow(
      'cannot connect to PostgreSQL at 127.0.0.1:1/dealbot: connection refused',
    );
  });
});

describe('openStore read-only (dealbot health)', () => {
  it('reads an existing database and refuses every write, creating nothing', () => {
    const file = path.join(tempDir(), 'bot.db');
    const writer = openSyncStore(file);
    writer.stories.upsert([story({ id: 'g1' })], { seenAt: '2026-01-01T00:00:00.000Z' });
    const reader = openSyncStore(file, { readonly: true });
    expect(reader.stories.count()).toBe(1);
    expect(() => reader.stories.upsert([story({ id: 'g2' })], { seenAt: '2026-01-01T00:00:00.000Z' })).toThrow(
      /readonly/,
    );
    reader.close();
    writer.close();

    const missing = path.join(tempDir(), 'nested', 'none.db');
    expect(() => openSyncStore(missing, { readonly: true })).toThrow(
      `cannot read ${missing}: no such folder ${path.dirname(missing)}`,
    );
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it('does not migrate: an older database is reported with what to do', () => {
    const file = path.join(tempDir(), 'old.db');
    const db = new Database(file);
    migrate(db, MIGRATIONS.slice(0, 1));
    db.close();
    expect(() => openSyncStore(file, { readonly: true })).toThrow(
      `the database ${file} is at schema version 1, older than this dealbot's ${LATEST_VERSION}; start the bot once (it migrates on start)`,
    );
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    check.close();
  });
});
