import type { Brief } from './schema.js';

/** The loaded briefs by id, with the default one; swapped whole on reload. */
export class BriefRegistry {
  private readonly byId: Map<string, Brief>;

  constructor(
    readonly briefs: readonly Brief[],
    readonly defaultId: string,
  ) {
    this.byId = new Map(briefs.map((b) => [b.id, b]));
  }

  get(id: string): Brief | undefined {
    return this.byId.get(id);
  }

  /** The default brief, or the first one when the configured default is missing. */
  get default(): Brief {
    return this.byId.get(this.defaultId) ?? this.briefs[0]!;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
