/**
 * Names and news words that English and Japanese coverage write differently, so
 * a story in either language can join an event reported in the other. Each line
 * is one concept: the key, then its spellings. English spellings are matched as
 * whole lower-case words (after the light stem), Japanese ones as substrings.
 *
 * This is a general gazetteer of the news vocabulary a business-and-politics desk
 * meets every day (countries and capitals, leaders, institutions, big companies,
 * economic nouns), not a list made for one story. Extend it freely: a missing
 * line only means a Japanese and an English story share fewer features.
 */
const LINES: string[] = [
  // Countries, blocs and capitals used as metonyms, and their leaders' names.
  'us: us, usa, united states, america, american, americans, washington, white house, trump | 米国, 米政府, アメリカ, 米側, 日米, 米中, 米韓, 米豪, 対米, 訪米, 米大統領, トランプ',
  'japan: japan, japanese, nippon, takaichi, ishiba | 日本, 日米, 訪日, 対米, 訪米, 日中, 日韓, 高市, 石破',
  'tokyo: tokyo | 東京',
  'china: china, chinese, beijing, xi, xi jinping | 中国, 米中, 日中, 北京, 中国政府, 習近平, 習主席, 習氏',
  'korea: korea, korean, seoul, lee jae-myung, lee jae myung | 韓国, 米韓, 日韓, ソウル, 李在明',
  'taiwan: taiwan, taiwanese, taipei | 台湾',
  'australia: australia, australian, canberra, albanese | 豪州, オーストラリア, 米豪, 豪, アルバニージー',
  'india: india, indian | インド',
  'russia: russia, russian, moscow, kremlin | ロシア',
  'ukraine: ukraine, ukrainian, kyiv | ウクライナ',
  'eu: eu, european union, brussels, european commission | 欧州連合, 欧州委員会, 欧州',
  'uk: uk, britain, british | 英国',
  'germany: germany, german, berlin | ドイツ',
  'france: france, french, paris | フランス',
  'canada: canada, canadian, ottawa, carney | カナダ, カーニー',
  'malaysia: malaysia, malaysian, kuala lumpur, anwar | マレーシア, クアラルンプール, アンワル',
  'thailand: thailand, thai, bangkok | タイ政府, タイ首相, タイと, タイの',
  'cambodia: cambodia, cambodian | カンボジア',
  'vietnam: vietnam, vietnamese, hanoi | ベトナム',
  'indonesia: indonesia, indonesian, jakarta | インドネシア',
  'philippines: philippines, philippine, filipino, manila | フィリピン',
  'singapore: singapore | シンガポール',
  'north-korea: north korea, pyongyang | 北朝鮮',
  'busan: busan | 釜山',
  'gyeongju: gyeongju | 慶州',
  'brazil: brazil, brazilian | ブラジル',
  'argentina: argentina, argentine | アルゼンチン',
  'mexico: mexico, mexican | メキシコ',
  'italy: italy, italian, rome | イタリア',
  'spain: spain, spanish, madrid | スペイン',
  'israel: israel, israeli | イスラエル',
  'iran: iran, iranian, tehran | イラン',
  'saudi: saudi, saudi arabia | サウジアラビア, サウジ',
  'turkey: turkey, turkish, ankara | トルコ',
  'g7: g7 | 主要7カ国, G7',
  'g20: g20 | G20',
  'apec: apec | APEC, アジア太平洋経済協力',
  'asean: asean | 東南アジア諸国連合, ASEAN',
  // People. A leader's name also stands for the country ("Trump, Albanese sign" = "US, Australia sign"): see the country lines.
  'trump: trump | トランプ',
  'takaichi: takaichi | 高市',
  'ishiba: ishiba | 石破',
  'xi: xi, xi jinping | 習近平, 習主席, 習氏',
  'lee-jae-myung: lee jae-myung, lee jae myung | 李在明',
  'albanese: albanese | アルバニージー',
  'putin: putin | プーチン',
  'von-der-leyen: von der leyen | フォンデアライエン',
  'anwar: anwar | アンワル',
  'carney: carney | カーニー',
  'macron: macron | マクロン',
  'merz: merz | メルツ',
  'starmer: starmer | スターマー',
  'milei: milei | ミレイ',
  'zelensky: zelensky, zelenskiy | ゼレンスキー',
  'modi: modi | モディ',
  'bessent: bessent | ベッセント',
  'lutnick: lutnick | ラトニック',
  'greer: greer | グリア',
  'akazawa: akazawa | 赤沢',
  'motegi: motegi | 茂木',
  'katayama: katayama | 片山',
  'kihara: kihara | 木原',
  'ueda: ueda | 植田',
  'powell: powell | パウエル',
  // Institutions and companies.
  'boj: boj, bank of japan | 日銀, 日本銀行',
  'fed: fed, federal reserve | FRB, 連邦準備制度理事会',
  'pentagon: pentagon | 国防総省, 国防省',
  'mofcom: mofcom, commerce ministry, ministry of commerce | 商務省',
  'imf: imf | 国際通貨基金, IMF',
  'opec: opec | 石油輸出国機構, OPEC',
  'keidanren: keidanren | 経団連',
  'toyota: toyota | トヨタ',
  'honda: honda | ホンダ',
  'nissan: nissan | 日産',
  'softbank: softbank | ソフトバンク',
  'nippon-steel: nippon steel | 日本製鉄, 日鉄',
  'us-steel: us steel | USスチール',
  'westinghouse: westinghouse | ウェスチングハウス',
  'mitsubishi: mitsubishi | 三菱',
  'hitachi: hitachi | 日立',
  'toshiba: toshiba | 東芝',
  'sojitz: sojitz | 双日',
  'jogmec: jogmec | JOGMEC, エネルギー・金属鉱物資源機構',
  'lynas: lynas | ライナス',
  'mp-materials: mp materials | MPマテリアルズ',
  'nvidia: nvidia | エヌビディア',
  'ford: ford | フォード',
  // Economic and political nouns.
  'rare-earth: rare earth, rare-earth, rare earths | レアアース, 希土類',
  'critical-mineral: critical mineral, critical minerals | 重要鉱物',
  'mineral: mineral, minerals, critical mineral, critical minerals | 鉱物, 重要鉱物',
  'magnet: magnet, magnets | 磁石',
  'tariff: tariff, tariffs, levy, levies, duties | 関税',
  'trade: trade | 貿易, 通商',
  'investment: investment, investments, invest, invests, investing | 投資',
  'export-control: export control, export controls, export curbs, export restrictions, export ban | 輸出規制, 輸出管理',
  'export: export, exports | 輸出',
  'import: import, imports | 輸入',
  'nuclear: nuclear, reactor, reactors | 原子力, 原発, 原子炉',
  'shipbuilding: shipbuilding, shipyard, shipyards | 造船',
  'semiconductor: semiconductor, semiconductors, chip, chips | 半導体',
  'energy: energy | エネルギー',
  'lng: lng, liquefied natural gas | 液化天然ガス, LNG',
  'soybean: soybean, soybeans | 大豆',
  'rice: rice | コメ, 米価',
  'defense: defense, defence, military | 防衛, 軍事',
  'summit: summit | 首脳会談, 首脳会議, サミット',
  'prime-minister: prime minister, premier, pm | 首相',
  'president: president | 大統領',
  'agreement: agreement, deal, pact, accord, framework | 合意, 協定, 枠組み, 文書',
  // A framework is a deal in outline: also its own concept, as Japanese writes 枠組み or 大枠 for it.
  'framework: framework, frameworks, outline | 枠組み, 大枠',
  'negotiation: negotiator, negotiators, negotiation, negotiations, negotiating | 交渉, 協議',
  'project: project, projects | 案件, プロジェクト',
  'company: company, companies, firm, firms, corporate | 企業, 会社',
  'executive: executive, executives, ceo, ceos, business leaders, business leader | 経営者, 経済人, 経営トップ, 企業トップ',
  'dinner: dinner, dines, dined, banquet | 夕食会, 晩さん会, 晩餐会',
  'development: development, develop, develops, developing | 開発',
  'implementation: implement, implements, implementing, implementation, carry out, flesh out | 実施, 履行, 具体化',
  'seabed: seabed, sea floor, seafloor, deep-sea, mud | 海底, 深海, 泥',
  'spokesperson: spokesman, spokeswoman, spokesperson, chief cabinet secretary | 官房長官, 報道官',
  'stocks: stocks, shares, equities, nikkei 225, topix | 株, 株価, 日経平均',
  'dominance: dominance, dominant, dominate, dominates, grip, stranglehold, reliance, dependence, dependency | 依存, 支配, 独占',
  'processing: processing, refining, refinery, refineries, smelting | 精錬, 製錬, 加工',
  'mining: mining, miner, miners | 採掘, 鉱山',
  'recycling: recycling, recycle | リサイクル',
  'supply: supply, supplies, supply chain, supply chains | 供給, 供給網, サプライチェーン',
  'stockpile: stockpile, stockpiles, stockpiling | 備蓄',
  'funding: funding, financing, finance, fund, funds | 資金, 出資, 融資',
  'yen: yen | 円相場, 円安, 円高',
  'election: election, vote, poll | 選挙, 投票',
  'earthquake: earthquake, quake, tremor | 地震',
  'typhoon: typhoon | 台風',
];

/** The action a headline reports, in either language: the same names on the same day are different events when the action differs. */
const ACTION_LINES: string[] = [
  'sign: sign, signs, signed, signing, ink, inks, inked | 署名, 調印',
  'agree: agree, agrees, agreed, reach, reaches, reached, strike, strikes, struck | 合意, 一致',
  'meet: meet, meets, met, meeting, talks, hold talks | 会談, 会う, 面会',
  // Not "visit": "as Trump visits Tokyo" sets the scene of most reports of a trip, whatever they report.
  'arrive: arrive, arrives, arrived, land, lands, landed | 到着, 来日',
  // Japanese headlines also report a denial as a quote ending in ない (「決定ない」): see event-features.
  'deny: deny, denies, denied, not new, no new, dismiss, dismisses, refute, refutes | 否定, 否認',
  'name: name, names, named, list, lists, listed, unveil, unveils, unveiled, identify | 明らかに, 公表, 列挙, 一覧',
  'announce: announce, announces, announced, launch, launches, launched, form, forms, formed, create, creates, created, set up, sets up | 発表, 発足, 創設',
  'warn: warn, warns, warned, caution, cautions | 警告, 懸念',
  'criticize: criticize, criticizes, criticised, slam, slams, condemn, condemns | 批判, 非難',
  'rise: rise, rises, rose, jump, jumps, jumped, surge, surges, surged, soar, soars, rally, rallies, climb, climbs | 上昇, 急騰, 高騰, 続伸',
  'fall: fall, falls, fell, drop, drops, dropped, slump, slumps, plunge, plunges, slide, slides, decline, declines | 下落, 急落, 減少, 続落',
  'suspend: suspend, suspends, suspended, pause, pauses, paused, delay, delays, halt, halts | 停止, 延期, 中断, 見送り',
  'impose: impose, imposes, imposed, raise, raises | 発動, 引き上げ',
  'cut: cut, cuts, cutting, lower, lowers, lowering, lowered, reduce, reduces, reduced | 引き下げ, 削減',
  'buy: buy, buys, bought, purchase, purchases | 購入, 買い',
  'invest: invest, invests, pledge, pledges, commit, commits | 投資, 拠出',
  'nominate: nominate, nominates, nominated | 推薦, 推す',
  'elect: elect, elected, wins, won | 選出, 当選, 勝利',
  'respond: respond, responds, responded, react, reacts, reacted, hit back, hits back, retaliate, retaliates | 反発, 反応, 対抗',
  'welcome: welcome, welcomes, welcomed, praise, praises, praised, hail, hails, hailed, tout, touts, touted | 歓迎, 評価, 称賛',
  // A party confirming what another announced is its own happening (Beijing confirming the pause Trump
  // announced); not 確認, which Japanese headlines use for leaders affirming ties in the talks themselves.
  'confirm: confirm, confirms, confirmed |',
  'reject: reject, rejects, rejected, oppose, opposes, opposed | 拒否, 反対',
  'approve: approve, approves, approved, pass, passes, passed | 承認, 可決, 成立',
  'ban: ban, bans, banned, bar, bars, barred, block, blocks, blocked | 禁止',
  'probe: probe, probes, investigate, investigates, investigation | 調査, 捜査',
  'resign: resign, resigns, resigned, quit, quits | 辞任, 辞意',
];

export interface TermTable {
  /** Lower-case English word or phrase (space-joined) → concept keys. */
  english: Map<string, string[]>;
  /** Japanese spelling → concept keys, longest first. */
  japanese: [string, string[]][];
  /** The longest English phrase, in words. */
  maxWords: number;
  /** First words of phrases of two words or more: only these start a longer look-up. */
  phraseStarts: Set<string>;
}

function table(lines: string[], prefix: string): TermTable {
  const english = new Map<string, string[]>();
  const japanese = new Map<string, string[]>();
  let maxWords = 1;
  const phraseStarts = new Set<string>();
  for (const line of lines) {
    const [key, rest] = line.split(/:\s*/, 2) as [string, string];
    const [en = '', ja = ''] = rest.split('|');
    for (const word of en
      .split(',')
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean)) {
      english.set(word, [...(english.get(word) ?? []), prefix + key]);
      const words = word.split(' ');
      maxWords = Math.max(maxWords, words.length);
      if (words.length > 1) phraseStarts.add(words[0]!);
    }
    for (const word of ja
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean))
      japanese.set(word, [...(japanese.get(word) ?? []), prefix + key]);
  }
  return {
    english,
    japanese: [...japanese.entries()].sort((a, b) => b[0].length - a[0].length),
    maxWords,
    phraseStarts,
  };
}

/** Concepts (countries, people, companies, nouns): keys prefixed "c:". */
export const CONCEPTS: TermTable = table(LINES, 'c:');
/** Actions (signs, denies, names…): keys prefixed "a:". */
export const ACTIONS: TermTable = table(ACTION_LINES, 'a:');
