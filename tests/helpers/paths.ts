import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever folder vitest runs from. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shippedConfig = path.join(repoRoot, 'config/dealbot.yaml');
export const shippedBriefs = path.join(repoRoot, 'briefs');
/** ../shared beside the repository (read-only corpora and seeds). */
export const sharedDir = path.resolve(repoRoot, '../shared');
