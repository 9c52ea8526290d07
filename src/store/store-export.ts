/**
 * A whole store read out table by table, for copying it into another engine
 * (`dealbot migrate-store`). Both engines name their tables and columns alike,
 * so a row is the engine's own row: column name → value, booleans as the
 * engine gives them. Tables come in an order that respects their references.
 */
export const EXPORTED_TABLES = [
  'stories',
  'story_feeds',
  'story_matches',
  // After story_matches: the target's triggers have made these from the decisions by then; copying
  // brings over what only the match step writes (leads, outlets) and anything computed before a story changed.
  'events',
  'event_briefs',
  'event_outlets',
  'filtered_stories',
  'feed_state',
  'digest_deliveries',
  'digest_delivery_stories',
  'digest_alert_holds',
  'digest_schedules',
  // Not `leases` nor `replicas`: they are live state (who holds what, who runs now) of the source's replicas.
] as const;

export type ExportedTable = (typeof EXPORTED_TABLES)[number];

export type ExportedRow = Record<string, string | number | null>;

export interface StoreExport {
  /** The store as its user knows it (a file path), for messages. */
  name: string;
  /**
   * What identifies this store across copies: its oldest story (id and first-seen
   * time), or null while it has none. A copy records it in the target, so a second
   * copy can tell "the same store again" from "another store".
   */
  origin(): string | null;
  /** How many rows each table holds. */
  count(table: ExportedTable): number;
  /** The table's rows in batches, in insertion order where the engine keeps one. */
  rows(table: ExportedTable, batchSize?: number): Iterable<ExportedRow[]>;
  close(): void;
}
