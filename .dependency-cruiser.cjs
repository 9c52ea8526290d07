// The layer rules of src/, checked by `npm run lint` (depcruise src --config .dependency-cruiser.cjs).
// docs/architecture.md draws the same layers as a diagram; change both together.
//
// Each layer rule is an allow-list: a file in the layer may import its own folder and the
// folders listed for it, and any other file under src/ is a violation. A folder not named
// here at all is caught by `unknown-layer`, so a new folder gets its rule when it is made.

/** `^src/<folder>/` for each name. */
const folders = (...names) => names.map((name) => `^src/${name}/`);

// The storage contract (store.ts, story.ts, match-repo.ts, digest-ledger.ts, async-store.ts, …):
// everything in src/store/ but the engines (sqlite/, postgres/), open-store.ts, which picks an
// engine, and copy-store.ts, which copies one engine's store into another (migrate-store).
const STORE_CONTRACT = '^src/store/(?!(open-store|copy-store)\\.ts$)[^/]+\\.ts$';
const STORE_ENGINE_PICKERS = '^src/store/(open-store|copy-store)\\.ts$';
// The plain data model of stories and matches: types that pure code may know about.
const STORE_DATA_MODEL = '^src/store/(story|match-repo)\\.ts$';

// A package, whether it resolved into node_modules/ or could not be resolved at all.
const pkg = (pattern) => [`(^|/)node_modules/${pattern}`, `^${pattern}`];

/**
 * Layer → the folders (or files) it may import besides its own folder, and why.
 * Leaves first, then the core, then the edges (adapters), then the glue.
 */
const layers = [
  ['log', [], 'The logger is a leaf: everything may log, so it may import nothing of ours.'],
  [
    'messages',
    [],
    'The neutral message model and the chat contract are what every layer speaks; ' +
      'they are a leaf so that no platform, store or feed detail leaks into them.',
  ],
  [
    'files',
    [],
    'Reading YAML with line-numbered problems is a leaf shared by config and briefs; it also holds the ' +
      'closest-name guess behind every "did you mean …?" (config keys, subcommands, platforms).',
  ],
  ['config', folders('files'), 'Config is read from YAML files and knows nothing of what uses it.'],
  ['briefs', folders('files', 'messages'), 'A brief is read from YAML and turned into the neutral message model.'],
  [
    'store',
    folders('messages'),
    'Storage holds stories and matches; it knows the message model and nothing of feeds, matching or chat.',
  ],
  [
    'events',
    [...folders('messages', 'matching'), STORE_DATA_MODEL],
    'Events are pure: which stories are one event, the lead, the outlets. They may read the story ' +
      'and match types but never the store itself (store.ts, open-store.ts, sqlite/).',
  ],
  [
    'matching',
    [...folders('briefs', 'config', 'messages', 'events'), STORE_DATA_MODEL],
    'Matching is pure (relevance, brief match, feed filter, why report): it may read the story and ' +
      'match types but never the store itself, so it runs on plain data in tests and benchmarks.',
  ],
  [
    'feeds',
    [...folders('config', 'log', 'messages'), STORE_CONTRACT],
    'Feeds fetch, parse and save stories through the storage contract, never a particular engine.',
  ],
  [
    'digests',
    [...folders('briefs', 'config', 'log', 'messages', 'events', 'matching'), STORE_CONTRACT],
    'Digests compose, schedule and deliver through the storage contract; they know no chat platform.',
  ],
  [
    'commands',
    [...folders('briefs', 'config', 'files', 'messages', 'events', 'matching', 'digests', 'feeds'), STORE_CONTRACT],
    'The /deal engine is platform-free: (invocation, services) → message model. It never learns which ' +
      'platform asked (no adapters/, render/) nor how it is run (no bot/, cli/, main.ts, store engine).',
  ],
  ['render', folders('messages'), 'Rendering is a pure function of the message model.'],
  [
    'adapters',
    [...folders('messages', 'render', 'log', 'config', 'briefs')],
    'Adapters are edges: they turn a platform event into a CommandInvocation and post the reply. ' +
      'They get the command handler injected and never reach into the core (commands, store, feeds, ' +
      'digests, matching, events) nor the glue that runs them (bot/, cli/).',
  ],
];

const KNOWN = [...folders('log', 'messages', 'files', 'config', 'briefs', 'store', 'events', 'matching')]
  .concat(folders('feeds', 'digests', 'commands', 'render', 'adapters', 'bot', 'cli', 'bench'))
  .concat(['^src/main\\.ts$']);

const layerRules = layers.map(([layer, allowed, comment]) => ({
  name: `${layer}-layer`,
  comment,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: '^src/', pathNot: [`^src/${layer}/`, ...allowed] },
}));

/** Only `folder` may import the packages matching `patterns`. */
const onlyIn = (name, folderPatterns, packagePatterns, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { pathNot: folderPatterns },
  to: { path: packagePatterns.flatMap(pkg) },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'A cycle means two files cannot be understood, tested or moved apart; usually one concept ' +
        'lives in two places and belongs in one module both import. Type-only cycles count too.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve fails at run time (or is a package missing from package.json).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'unknown-layer',
      comment:
        'Every folder of src/ has a place in the layers; a new folder needs its rule here and a line ' +
        'in docs/architecture.md before code may import it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: KNOWN },
    },
    ...layerRules,
    {
      name: 'store-contract-engine-free',
      comment:
        'The storage contract must not name an engine, so every engine (SQLite, PostgreSQL) serves ' +
        'it alike; only open-store.ts picks one (and copy-store.ts copies between them).',
      severity: 'error',
      from: { path: STORE_CONTRACT },
      to: { path: ['^src/store/sqlite/', '^src/store/postgres/', STORE_ENGINE_PICKERS] },
    },
    {
      name: 'adapter-platforms-independent',
      comment:
        'A platform folder (terminal/, slack/, discord/) may use the shared adapter module but never ' +
        'another platform: each can be added or removed alone.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/[^/]+/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'cli-only-from-cli',
      comment: 'The command line is the outermost edge: nothing outside src/cli/ may import it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'bot-and-main-only-from-entry-points',
      comment:
        'The glue that runs the bot (src/bot/) and the composition root (src/main.ts) are wired up ' +
        'only by entry points (cli/, main.ts, bench/); the core and adapters receive what they need as arguments.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/bench/', '^src/main\\.ts$', '^src/bot/'] },
      to: { path: ['^src/bot/', '^src/main\\.ts$'] },
    },
    {
      name: 'bot-not-to-main',
      comment: 'src/bot/ is wired by main.ts, so it may not import main.ts back.',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/main\\.ts$' },
    },
    onlyIn(
      'slack-sdk-only-in-slack-adapter',
      ['^src/adapters/slack/'],
      ['@slack/'],
      'Platform SDKs stay in their adapter folder: the core never learns which platform asked.',
    ),
    onlyIn(
      'discord-sdk-only-in-discord-adapter',
      ['^src/adapters/discord/'],
      ['discord\\.js(/|$)', '@discordjs/'],
      'Platform SDKs stay in their adapter folder: the core never learns which platform asked.',
    ),
    onlyIn(
      'sqlite-only-in-sqlite-store',
      ['^src/store/sqlite/'],
      ['better-sqlite3(/|$)'],
      'Only the SQLite engine knows SQLite; everything else uses the storage contract.',
    ),
    onlyIn(
      'pg-only-in-postgres-store',
      ['^src/store/postgres/'],
      ['pg(/|$)', 'pg-[a-z-]+(/|$)'],
      'Only the PostgreSQL engine knows PostgreSQL; everything else uses the storage contract.',
    ),
    onlyIn(
      'cron-only-in-schedulers',
      // config/ only validates cron expressions with node-cron's own parser, so a schedule
      // the config accepts is one node-cron will run.
      ['^src/digests/', '^src/feeds/', '^src/bot/', '^src/config/'],
      ['node-cron(/|$)'],
      'Schedules live with digests, feeds and the bot glue (config only checks expressions); the rest of the code is given the time.',
    ),
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports are dependencies too: a layer may not even name another layer's types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
