/**
 * Well-known news hosts and the names readers know them by. A host matches an
 * entry when it is the entry's domain or any subdomain of it ("edition.cnn.com"
 * is CNN); the most specific entry wins ("asia.nikkei.com" is Nikkei Asia,
 * "www.nikkei.com" is Nikkei). Aliases are other names the outlet signs its
 * headlines with ("… | 日本経済新聞"), so a title suffix can be recognised as
 * the outlet's own.
 */

export interface OutletEntry {
  /** Shown to readers. */
  name: string;
  /** Other names the outlet goes by in title suffixes and aggregator items. */
  aliases?: readonly string[];
}

/** Host (without "www.") → outlet. */
export const OUTLET_NAMES: Readonly<Record<string, OutletEntry>> = {
  // Wires and agencies
  'reuters.com': { name: 'Reuters', aliases: ['ロイター', 'Thomson Reuters'] },
  'apnews.com': { name: 'AP', aliases: ['Associated Press', 'The Associated Press', 'AP News'] },
  'afp.com': { name: 'AFP', aliases: ['Agence France-Presse'] },
  'afpbb.com': { name: 'AFPBB News', aliases: ['AFP'] },
  'bloomberg.com': { name: 'Bloomberg', aliases: ['Bloomberg News', 'Bloomberg.com', 'ブルームバーグ'] },
  'bloomberg.co.jp': { name: 'Bloomberg', aliases: ['ブルームバーグ', 'Bloomberg News'] },
  'kyodonews.net': { name: 'Kyodo News', aliases: ['Kyodo', '共同通信', '共同通信社'] },
  'english.kyodonews.net': { name: 'Kyodo News', aliases: ['Kyodo', '共同通信'] },
  'jiji.com': { name: '時事通信', aliases: ['Jiji Press', 'JIJI', '時事ドットコム', '時事通信社'] },
  'yna.co.kr': { name: 'Yonhap', aliases: ['Yonhap News Agency', '聯合ニュース'] },
  'xinhuanet.com': { name: 'Xinhua', aliases: ['Xinhua News Agency', '新華社'] },
  'news.cn': { name: 'Xinhua', aliases: ['Xinhua News Agency', '新華社'] },

  // English-language press and broadcasters
  'bbc.com': { name: 'BBC', aliases: ['BBC News'] },
  'bbc.co.uk': { name: 'BBC', aliases: ['BBC News'] },
  'bbci.co.uk': { name: 'BBC', aliases: ['BBC News'] },
  'ft.com': { name: 'Financial Times', aliases: ['FT'] },
  'nytimes.com': { name: 'The New York Times', aliases: ['NYT', 'NY Times'] },
  'wsj.com': { name: 'The Wall Street Journal', aliases: ['WSJ'] },
  'washingtonpost.com': { name: 'The Washington Post', aliases: ['Washington Post'] },
  'cnn.com': { name: 'CNN', aliases: ['CNN International', 'CNN Business'] },
  'cnn.co.jp': { name: 'CNN', aliases: ['CNN.co.jp'] },
  'cnbc.com': { name: 'CNBC' },
  'theguardian.com': { name: 'The Guardian' },
  'aljazeera.com': { name: 'Al Jazeera', aliases: ['Al Jazeera English'] },
  'dw.com': { name: 'DW', aliases: ['Deutsche Welle'] },
  'france24.com': { name: 'France 24' },
  'scmp.com': { name: 'South China Morning Post', aliases: ['SCMP'] },
  'economist.com': { name: 'The Economist' },
  'axios.com': { name: 'Axios' },
  'politico.com': { name: 'Politico' },
  'politico.eu': { name: 'Politico Europe', aliases: ['Politico'] },
  'foxnews.com': { name: 'Fox News' },
  'foxbusiness.com': { name: 'Fox Business' },
  'nbcnews.com': { name: 'NBC News' },
  'cbsnews.com': { name: 'CBS News' },
  'abcnews.go.com': { name: 'ABC News' },
  'abc.net.au': { name: 'ABC News (Australia)', aliases: ['ABC News', 'ABC'] },
  'npr.org': { name: 'NPR' },
  'usatoday.com': { name: 'USA Today' },
  'latimes.com': { name: 'Los Angeles Times', aliases: ['LA Times'] },
  'time.com': { name: 'TIME', aliases: ['Time'] },
  'newsweek.com': { name: 'Newsweek' },
  'forbes.com': { name: 'Forbes' },
  'fortune.com': { name: 'Fortune' },
  'businessinsider.com': { name: 'Business Insider' },
  'marketwatch.com': { name: 'MarketWatch' },
  'barrons.com': { name: "Barron's" },
  'thehill.com': { name: 'The Hill' },
  'independent.co.uk': { name: 'The Independent' },
  'telegraph.co.uk': { name: 'The Telegraph' },
  'thetimes.co.uk': { name: 'The Times' },
  'thetimes.com': { name: 'The Times' },
  'news.sky.com': { name: 'Sky News' },
  'euronews.com': { name: 'Euronews' },
  'voanews.com': { name: 'VOA', aliases: ['Voice of America'] },
  'channelnewsasia.com': { name: 'CNA', aliases: ['Channel NewsAsia'] },
  'straitstimes.com': { name: 'The Straits Times' },
  'koreaherald.com': { name: 'The Korea Herald' },
  'globaltimes.cn': { name: 'Global Times' },
  'chinadaily.com.cn': { name: 'China Daily' },
  'thediplomat.com': { name: 'The Diplomat' },
  'mining.com': { name: 'MINING.COM' },

  // Japan, in English
  'asia.nikkei.com': { name: 'Nikkei Asia', aliases: ['Nikkei Asian Review'] },
  'japantimes.co.jp': { name: 'The Japan Times' },
  'japantoday.com': { name: 'Japan Today' },
  'japannews.yomiuri.co.jp': {
    name: 'The Japan News',
    aliases: ['Japan News', 'The Japan News by The Yomiuri Shimbun'],
  },
  'mainichi.jp': { name: '毎日新聞', aliases: ['Mainichi', 'The Mainichi', 'Mainichi Shimbun', '毎日新聞デジタル'] },
  'nippon.com': { name: 'Nippon.com' },
  'japan-forward.com': { name: 'Japan Forward' },

  // Japan, in Japanese
  'nikkei.com': { name: 'Nikkei', aliases: ['日本経済新聞', '日経', '日経電子版', 'Nikkei Inc'] },
  'nhk.or.jp': { name: 'NHK', aliases: ['NHK World', 'NHK World-Japan', 'NHKニュース', 'NHK NEWS WEB'] },
  'web.nhk': { name: 'NHK', aliases: ['NHKニュース', 'NHK NEWS WEB'] },
  'asahi.com': { name: '朝日新聞', aliases: ['Asahi Shimbun', 'The Asahi Shimbun', '朝日新聞デジタル', 'Asahi'] },
  'yomiuri.co.jp': { name: '読売新聞', aliases: ['Yomiuri Shimbun', 'The Yomiuri Shimbun', '読売新聞オンライン'] },
  'sankei.com': { name: '産経新聞', aliases: ['Sankei', 'Sankei Shimbun', '産経ニュース'] },
  'tokyo-np.co.jp': { name: '東京新聞', aliases: ['Tokyo Shimbun', '東京新聞デジタル'] },
  'chunichi.co.jp': { name: '中日新聞' },
  'hokkaido-np.co.jp': { name: '北海道新聞' },
  'nishinippon.co.jp': { name: '西日本新聞' },
  'kahoku.news': { name: '河北新報' },
  'okinawatimes.co.jp': { name: '沖縄タイムス' },
  'ryukyushimpo.jp': { name: '琉球新報' },
  'nikkan.co.jp': { name: '日刊工業新聞', aliases: ['ニュースイッチ'] },
  'toyokeizai.net': { name: '東洋経済オンライン', aliases: ['東洋経済', 'Toyo Keizai'] },
  'diamond.jp': { name: 'ダイヤモンド・オンライン', aliases: ['Diamond Online'] },
  'president.jp': { name: 'PRESIDENT Online', aliases: ['プレジデントオンライン'] },
  'bunshun.jp': { name: '文春オンライン' },
  'newsdig.tbs.co.jp': { name: 'TBS NEWS DIG', aliases: ['TBS', 'JNN'] },
  'tbs.co.jp': { name: 'TBS' },
  'fnn.jp': { name: 'FNNプライムオンライン', aliases: ['FNN'] },
  'news.ntv.co.jp': { name: '日テレNEWS', aliases: ['日本テレビ', 'NNN'] },
  'tv-asahi.co.jp': { name: 'テレビ朝日', aliases: ['テレ朝news', 'ANN'] },
  'tv-tokyo.co.jp': { name: 'テレビ東京', aliases: ['テレ東BIZ'] },
  'businessinsider.jp': { name: 'Business Insider Japan' },
  'newsweekjapan.jp': { name: 'ニューズウィーク日本版', aliases: ['Newsweek Japan'] },
  'itmedia.co.jp': { name: 'ITmedia' },
};

/** An aggregator: it links to its own page or a redirect, and names the outlet in the title. */
export interface AggregatorEntry {
  /** Its own name, which some items append after the outlet's ("… - 共同通信 - Yahoo!ニュース"). */
  name: string;
  /** The outlet comes in trailing parentheses ("…（共同通信）"), as on Yahoo!ニュース, as well as after " - ". */
  parenthesizedOutlet?: boolean;
}

/** Host (without "www.") → aggregator. Matched like OUTLET_NAMES, and before it. */
export const AGGREGATORS: Readonly<Record<string, AggregatorEntry>> = {
  'news.google.com': { name: 'Google News' },
  'news.yahoo.com': { name: 'Yahoo News' },
  'finance.yahoo.com': { name: 'Yahoo Finance' },
  'news.yahoo.co.jp': { name: 'Yahoo!ニュース', parenthesizedOutlet: true },
  'headlines.yahoo.co.jp': { name: 'Yahoo!ニュース', parenthesizedOutlet: true },
  'msn.com': { name: 'MSN' },
  'flipboard.com': { name: 'Flipboard' },
  'newsbreak.com': { name: 'NewsBreak' },
  'newsbreakapp.com': { name: 'NewsBreak' },
  'smartnews.com': { name: 'SmartNews' },
  'ground.news': { name: 'Ground News' },
  'newsnow.co.uk': { name: 'NewsNow' },
  'apple.news': { name: 'Apple News' },
  'newspicks.com': { name: 'NewsPicks' },
  'news.line.me': { name: 'LINE NEWS' },
  'news.livedoor.com': { name: 'ライブドアニュース' },
  'news.goo.ne.jp': { name: 'gooニュース' },
  'news.infoseek.co.jp': { name: 'infoseekニュース' },
  'news.nifty.com': { name: '@niftyニュース' },
  'news.excite.co.jp': { name: 'エキサイトニュース' },
  'topics.smt.docomo.ne.jp': { name: 'dメニューニュース' },
};
