import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A name for this process among the replicas sharing a database: its host and
 * process id (so admins can tell who holds a feed or a post), and a few random
 * characters so a restarted process with a reused pid is not taken for the old one.
 */
export function replicaName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
