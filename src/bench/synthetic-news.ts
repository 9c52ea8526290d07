/**
 * Headlines for benchmarks: many distinct happenings on the watched topics (who,
 * what, how much, which action), each reported by several outlets in their own
 * words, plus off-topic news. Deterministic for a seed, so runs compare.
 */

const PARTIES = [
  'Japan',
  'US',
  'China',
  'Australia',
  'South Korea',
  'EU',
  'India',
  'Canada',
  'Vietnam',
  'Brazil',
  'Malaysia',
  'Kazakhstan',
];
const COMPANIES = [
  'Toyota',
  'Lynas',
  'MP Materials',
  'Sojitz',
  'Hitachi',
  'Toshiba',
  'Westinghouse',
  'SoftBank',
  'Iluka',
  'Mitsubishi',
  'Honda',
  'Nissan',
  'Glencore',
  'Rio Tinto',
];
const THINGS = [
  'rare earths',
  'critical minerals',
  'rare-earth magnets',
  'gallium',
  'graphite',
  'lithium',
  'nuclear reactors',
  'shipbuilding',
  'tariffs',
  'semiconductors',
];
const PLACES = ['Tokyo', 'Washington', 'Beijing', 'Canberra', 'Seoul', 'Brussels', 'Hanoi', 'Ottawa'];

const TEMPLATES: ((p: Happening) => string)[] = [
  (p) => `${p.a} and ${p.b} sign ${p.thing} deal worth $${p.amount} billion`,
  (p) => `${p.a}, ${p.b} ink $${p.amount}bn pact on ${p.thing} in ${p.place}`,
  (p) => `${p.company} to invest $${p.amount} billion in ${p.b} ${p.thing} projects`,
  (p) => `${p.company} says $${p.amount}bn ${p.b} investment is not new`,
  (p) => `${p.a} warns ${p.b} over ${p.thing} export curbs`,
  (p) => `${p.a} names ${p.company} among firms for $${p.amount} billion ${p.thing} plan`,
  (p) => `Shares of ${p.company} jump after ${p.a}-${p.b} ${p.thing} agreement`,
  (p) => `${p.a} suspends ${p.thing} export controls on ${p.b} for a year`,
];
const REWRITES: ((h: string, p: Happening) => string)[] = [
  (h) => h,
  (h) => `${h} - Reuters`,
  (h, p) => `${p.place}: ${h.charAt(0).toLowerCase()}${h.slice(1)}`,
  (h) => h.replace(/\bsign\b/, 'signs').replace(/\bto invest\b/, 'will invest'),
  (h) => `UPDATE 1-${h}`,
  (h, p) => `${h} as ${p.b} seeks supply`,
];
const OFF_TOPIC = [
  'Dodgers beat Blue Jays in extra innings',
  'Heavy rain warning issued for western Japan',
  'Louvre reopens after jewel theft',
  'Central bank holds rates steady',
  'New smartphone goes on sale this week',
  'Typhoon approaches Okinawa',
];

interface Happening {
  a: string;
  b: string;
  company: string;
  thing: string;
  place: string;
  amount: number;
  template: number;
}

/** A small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticStory {
  title: string;
  summary: string;
  /** Index of the happening it reports; -1 off-topic. */
  happening: number;
}

/** `count` stories: about 70% on topic, each happening reported 1–8 times in other words. */
export function syntheticNews(count: number, seed = 1): SyntheticStory[] {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const out: SyntheticStory[] = [];
  let happening = 0;
  while (out.length < count) {
    if (rand() < 0.3) {
      out.push({ title: `${pick(OFF_TOPIC)} (${out.length})`, summary: '', happening: -1 });
      continue;
    }
    const a = pick(PARTIES);
    let b = pick(PARTIES);
    if (b === a) b = PARTIES[(PARTIES.indexOf(a) + 1) % PARTIES.length]!;
    const p: Happening = {
      a,
      b,
      company: pick(COMPANIES),
      thing: pick(THINGS),
      place: pick(PLACES),
      amount: 1 + Math.floor(rand() * 900),
      template: Math.floor(rand() * TEMPLATES.length),
    };
    const headline = TEMPLATES[p.template]!(p);
    const copies = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < copies && out.length < count; i++) {
      out.push({
        title: REWRITES[Math.floor(rand() * REWRITES.length)]!(headline, p),
        summary: `${p.a} and ${p.b} officials discussed ${p.thing} supply and investment in ${p.place}.`,
        happening,
      });
    }
    happening++;
  }
  return out;
}
