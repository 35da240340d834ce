import anyAscii from 'any-ascii';

/**
 * Name normalization for cross-jurisdiction matching: what a name becomes before it is blinded.
 *
 * Everything ends as lower-case ASCII tokens. Latin is folded (accents, ligatures), other scripts
 * are transliterated with `any-ascii` (BGN/PCGN-like for Cyrillic, ELOT-like for Greek), with the
 * targeted fixes below where its output is a poor match key (Greek digraphs; Arabic articles,
 * ta marbuta, honorifics). Arabic gets the most care: it does not write short vowels, so "محمد"
 * can only ever meet "Mohammed"/"Muhammad" through a consonant skeleton, which every token
 * carries (`skeletonOf` for Latin, the Arabic letters mapped straight to the same alphabet for
 * Arabic). Organizations also lose legal forms, get acronyms and joined words as compounds, and
 * have generic words of other languages folded to English ("stichting" → "foundation", "melli" →
 * "national"); generic words are marked so that scoring can weigh them below distinctive ones.
 *
 * The phonetic key is hand-written: no maintained JavaScript library covers matching a vowelless
 * script against its romanizations (Soundex and Metaphone assume English spelling and keep the
 * first vowel), and the project does not add dependencies for it.
 */

export type NameKind = 'person' | 'organization' | 'other';

export interface NameToken {
  /** Folded ASCII token ([a-z0-9]+). */
  readonly text: string;
  /** Consonant skeleton with light phonetic merging (`skeletonOf`), or the text itself when that would be a single letter of a long word; never empty. */
  readonly skeleton: string;
  /** The token came from a script that omits short vowels (Arabic, Hebrew): its text is a skeleton already. */
  readonly consonantal: boolean;
  /** A generic word of organization names ("bank", "trading"): it says what kind of body, not which. */
  readonly generic?: true;
}

/**
 * A string standing for several tokens of the name: the acronym of a run of words ("irgc" for
 * "islamic revolutionary guard corps", "isil" for the first words of "Islamic State of Iraq and the
 * Levant in Yemen") or adjacent words joined ("iranair" for "iran air"). Another name's token equal
 * to it stands for all the tokens it covers.
 */
export interface NameCompound {
  readonly text: string;
  readonly kind: 'acronym' | 'joined';
  /** Of a joined run: the skeleton of the joined words, meeting a token of the same skeleton ("kheir beik"/"khayrbik"). */
  readonly skeleton?: string;
  /** Indices into `tokens` of the tokens it stands for. */
  readonly covers: readonly number[];
}

export interface NormalizedName {
  /** Distinct tokens in order of first appearance: order carries no meaning for matching. */
  readonly tokens: readonly NameToken[];
  readonly compounds: readonly NameCompound[];
}

/** A set of space-separated words (long word lists read better as text). */
function words(list: string): Set<string> {
  return new Set(list.split(' ').filter(Boolean));
}

const ARABIC = /\p{Script=Arabic}/u;
const HEBREW = /\p{Script=Hebrew}/u;
const GREEK = /\p{Script=Greek}/u;

// Honorifics, titles and ranks: they come and go between two records of the same person.
const HONORIFICS = words(
  'mr mrs ms miss mme mlle m herr frau sr sra srta don dona dr doctor prof professor sir dame lord ' +
    'lady hon rev reverend fr father sheikh shaikh shaykh sheik cheikh shekh haji hajji hadji hajj ' +
    'alhaj alhaji hadzhi mullah mulla mollah maulana mawlana maulvi mawlawi moulvi mufti qari imam ' +
    'ustad ustadh ustaz general gen lt ltgen lieutenant colonel col major maj captain capt cpt ' +
    'brigadier brig admiral adm commander cmdr sergeant sgt marshal eng engineer ing jr jnr snr ii ' +
    'iii iv gospodin gospozha',
);

// Honorifics in Arabic script, removed before transliteration (their romanizations are ambiguous).
const ARABIC_HONORIFICS = words(
  'شيخ الشيخ حاج الحاج حجي الدكتور دكتور د اللواء العميد العقيد المهندس مهندس ملا الملا مولانا ' +
    'مولوي الإمام إمام السيد السيدة',
);

// Particles of personal names: articles and filiation words are common to most names of a
// tradition and so carry no evidence, but their presence varies freely between spellings
// ("al-Baghdadi"/"Baghdadi", "bin Laden"/"Laden").
const PERSON_PARTICLES = words(
  'al el ul ad ar as at az an bin ibn bint binti ben bn de del della der den di da do dos das du ' +
    'des van von le la y e i',
);

// Function words of organization names: dropped from tokens and from the short acronym.
const ORG_STOPWORDS = words(
  'the of and for in on at to by a an de del della di da do dos das du des la las los le les el al ' +
    'y e et und der die van von za na po por para con en sur pour au aux fur v i s va ve wa wal',
);

// Generic words of organization names in several languages and romanizations, folded to one
// English form so that a translated alias still shares them ("Stichting Al-Aqsa"/"Al-Aqsa
// Foundation", "Banco Agrícola"/"Agricultural Bank"). Only words naming a kind of organization
// or a common attribute of one: distinctive words are never translated.
const ORG_SYNONYM_GROUPS: Record<string, string> = {
  foundation:
    'fundacion fundacao fondation stiftung stichting fondazione fundatia vakfi bonyad muassasa muassasat muassasah moassesseh fond fonds',
  bank: 'banco banque banca bankasi bankh unhaeng bankas',
  international: 'internacional internationale internazionale beynolmelal beynolmelali mezhdunarodnaya',
  islamic: 'islami islamiya islamiyya islamia islamiyah islamique islamica islamico islamiyyah eslami',
  charitable: 'charity khayriya khayriyya khairiya khairia khayria khairiyah khayriyah caritativa benefica',
  organization:
    'organisation organizacion organizzazione organizacao tanzim tanzeem munazzamat munazzama sazman',
  association:
    'asociacion associacao associazione verein jamiat jamiyat jamiya jamiyya jamiyyat jamiyah dernegi',
  society: 'sociedade societa',
  group: 'grupo groupe gruppe gruppo grup goruh',
  committee: 'comite comitato lajna lajnat komitet',
  council: 'consejo conseil majlis majles majlis',
  army: 'jaish jaysh ejercito armee esercito',
  forces: 'force fuerzas forces forcas',
  armed: 'armadas armees armadas',
  front: 'frente jabhat jabha jebhe',
  movement: 'harakat haraka movimiento mouvement movimento hareket hareketi',
  party: 'partido parti partito hizb partiya partisi',
  union: 'unione uniao ittihad soyuz',
  brigade: 'brigada brigades brigadas katiba katibat liwa saraya',
  martyrs: 'shuhada shohada shuhadaa martires',
  revolutionary: 'revolucionarias revolucionario revolucionaria revolutionnaire revolucionarios',
  revolution: 'revolucion enghelab enqelab inqilab',
  popular: 'people peoples populaire popolare narodnaya narodny narodnyi shaabi shabi',
  liberation: 'liberacion tahrir',
  national: 'nacional melli milli natsionalny natsionalnaya',
  central: 'markazi tsentralny tsentralnaya',
  agricultural: 'agricola agricole keshavarzi agropecuaria',
  export: 'exports saderat exportadora',
  ministry: 'ministerio ministere vezarat wizarat ministerstvo',
  defense: 'defence defensa defa',
  security: 'seguridad securite amniat amniyat bezopasnosti',
  intelligence: 'ettelaat',
  republic: 'republica republique jomhouri jomhuri respubliki',
  independent: 'nezavisimaya',
  petroleum: 'oil petrolera petrolero neft naft neftegaz neftegazovaya neftyanaya',
  center: 'centre centro zentrum markaz merkezi tsentr',
  industries: 'industry industrial industrias industrie industria sanayi sanaye sanat',
  trading: 'trade comercio commerce commercial comercial tejarat ticaret tijara comercializadora muyok',
  services: 'service servicios servicos servizi',
  airlines: 'airline airways aerolineas havayollari aviakompaniya avialinii',
  aviation: 'havacilik aviatsionnaya aviacion',
  shipping: 'navigation naviera kashtirani',
  investment: 'investments inversiones investimentos investissement sarmayegozari',
  engineering: 'ingenieria ingenierie ingegneria mohandesi',
  construction: 'constructora construcciones construcoes insaat sakhteman stroitelnaya',
  development: 'desarrollo developpement desenvolvimento tose toseh tosee toseye',
  research: 'investigacion recherche pajouhesh pazhuhesh',
  technology: 'technologies tecnologia technologie',
  holding: 'holdings',
  korea: 'choson chosun',
  revival: 'ihya ihyaa',
  heritage: 'turath turas turaz',
  call: 'dawa daawa dawah dawat',
  supporters: 'ansar ansaar',
  jerusalem: 'quds qods kuds',
  oppressed: 'mostazafan mostazafin mustadafin mostazafeen mustazafin',
  guards: 'guard pasdaran',
  united: 'unidos unidas unies obedinennaya obyedinennaya muttahida mottahedeh',
  state: 'estatal gosudarstvennaya gosudarstvennoe gosudarstvenny',
  federal: 'federalnoe federalnaya federalny',
  plant: 'zavod',
  marine: 'daryaei darya maritima maritimo',
  transport: 'transportes transporte transports transportation',
  pharmaceutical: 'farmaceutica farmaceuticos pharmaceuticals',
  laboratories: 'laboratory laboratorios laboratoires',
  enterprise: 'enterprises empresa empresas entreprise',
  mining: 'minera minero mineria',
  energy: 'energia energie',
  hotel: 'hotels hoteles hotelera',
};
// Generic words of organization names (besides the English forms above): they describe the kind
// or trade of a body and recur across unrelated ones.
const GENERIC_ORG_WORDS = new Set([
  ...Object.keys(ORG_SYNONYM_GROUPS),
  ...words(
    'general global enterprise enterprises management logistics consulting import energy gas mining ' +
      'transport transportation real estate financial finance exchange money medical trust fund agency ' +
      'institute university department office state federal products equipment manufacturing factory ' +
      'plant electronics electronic systems solutions marine maritime resources supply supplies ' +
      'machinery chemical chemicals power metals steel cement pharmaceutical insurance credit ' +
      'cooperative network media science scientific education relief welfare support humanitarian ' +
      'bureau administration authority directorate office agency commission shahid',
  ),
]);

const ORG_SYNONYMS = new Map<string, string>();
for (const [canonical, forms] of Object.entries(ORG_SYNONYM_GROUPS)) {
  for (const form of words(forms)) ORG_SYNONYMS.set(form, canonical);
}

// Legal-form words recognised anywhere in an organization's name: none of them is plausible as a
// distinctive word of a name.
const LEGAL_FORMS_ANYWHERE = words(
  'ltd llc llp plc inc incorporated corp corporation limited ltda limitada gmbh mbh sarl eurl sprl ' +
    'srl spa sas sasu ooo zao oao pao tov pjsc ojsc cjsc jsc bhd sdn pvt pty pte fzco fze fzc fzllc ' +
    'wll kft zrt nyrt sro doo eood ood oyj aps sapi cia compania company companies kk cv sae sal saog ' +
    'saoc kscc ksc qsc bsc psc tbk ltee scrl kompaniya kompaniyasi sirketi sherkat shirkat hoesa kongsa',
);

// Short legal forms that can also be words or initials ("co", "sa", "ag"): removed only at the
// start or end of the name, where legal forms stand.
const LEGAL_FORMS_EDGE = words(
  'co sa ag kg ohg ug se nv bv vof ab as asa oy ad dd ae ike oe ee sl sc sca scs snc pt cv ao ip ' +
    'est fz lp spr rl sacv sapi de and y et',
);

// Legal forms written out in several words (after folding), longest first when matched.
const LEGAL_FORM_PHRASES: readonly (readonly string[])[] = [
  'obshchestvo s ogranichennoi otvetstvennostyu',
  'obshchestvo s ogranichennoy otvetstvennostyu',
  'obshchestvo s ogranichennoj otvetstvennostju',
  'obshchestvo s ogranichennoi otvetstvennostiu',
  'tovarystvo z obmezhenoiu vidpovidalnistiu',
  'zakrytoe aktsionernoe obshchestvo',
  'otkrytoe aktsionernoe obshchestvo',
  'publichnoe aktsionernoe obshchestvo',
  'aktsionernoe obshchestvo',
  'aktsionernoye obshchestvo',
  'public joint stock company',
  'closed joint stock company',
  'open joint stock company',
  'joint stock company',
  'limited liability company',
  'limited liability partnership',
  'limited partnership',
  'public limited company',
  'private limited company',
  'private limited',
  'sociedad de responsabilidad limitada',
  'sociedad anonima de capital variable',
  'sociedad anonima',
  'sociedad limitada',
  'sociedade anonima',
  'societe anonyme',
  'societe a responsabilite limitee',
  'societa per azioni',
  'gesellschaft mit beschrankter haftung',
  'aktiengesellschaft',
  's de rl de cv',
  'sa de cv',
  's de rl',
  'spr de rl',
  'sc de rl',
  'sa de rl',
  'sapi de cv',
  'free zone establishment',
  'free zone company',
  'fz llc',
  'co ltd',
  'sdn bhd',
].map((phrase) => phrase.split(' '));

// Greek digraphs whose letter-by-letter romanization misses the usual Latin spelling.
const GREEK_FIXES: readonly [RegExp, string][] = [
  [/ου/g, 'ou'],
  [/αυ(?=[θκξπστφχψ]|$)/g, 'af'],
  [/ευ(?=[θκξπστφχψ]|$)/g, 'ef'],
  [/αυ/g, 'av'],
  [/ευ/g, 'ev'],
  [/(^|\s)μπ/g, '$1b'],
  [/(^|\s)ντ/g, '$1d'],
  [/(^|\s)γκ/g, '$1g'],
  [/γγ/g, 'ng'],
  [/γκ/g, 'ng'],
];

const COMBINING_MARKS = /[\u0300-\u036f\u064b-\u065f\u0670\u0591-\u05c7\u0640]/g;

/**
 * Transliterates and folds one word to lower-case ASCII letters and digits. Apostrophes, ayn and
 * hamza marks vanish ("Mu'tassim" → "mutassim").
 */
function foldWord(word: string): string {
  let w = word;
  if (GREEK.test(w)) {
    w = w.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
    for (const [re, to] of GREEK_FIXES) w = w.replace(re, to);
  } else if (ARABIC.test(w)) {
    w = w.normalize('NFC').replace(COMBINING_MARKS, '');
    // Ta marbuta is a silent final "a/ah"; romanizations write it as a vowel or not at all.
    w = w.replace(/ة/g, '');
  }
  return anyAscii(w)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Folds free text (addresses, any name part) to lower-case ASCII words: transliteration of every
 * script `any-ascii` knows, accents and case removed, punctuation turned into spaces.
 */
export function foldText(raw: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(raw)) {
    const folded = foldWord(word);
    if (folded) out.push(folded);
  }
  return out;
}

/** Words of a raw name: letters and digits, with apostrophes kept inside words and dotted initials joined. */
function splitWords(raw: string): string[] {
  const text = raw
    .normalize('NFKC')
    // Dotted initials ("S.A.", "C.A.D.") are one word: "sa", "cad".
    .replace(/(?<![\p{L}\p{N}])((?:\p{L}\.){2,})/gu, (m) => `${m.replace(/\./g, '')} `);
  return text.match(/[\p{L}\p{M}\p{N}'’`ʼʻ]+/gu) ?? [];
}

const SKELETON_DIGRAPHS = /shch|tsch|sch|tch|dzh|ch|sh|zh|kh|ts|tz|dj|gh|ph|th|dh|ck|q|c|x|z|[aeiouyw]/g;
const SKELETON_MAP: Record<string, string> = {
  shch: 's',
  tsch: 'c',
  sch: 's',
  tch: 'c',
  dzh: 'j',
  ch: 'c',
  sh: 's',
  zh: 'j',
  kh: 'h',
  ts: 'c',
  tz: 'c',
  dj: 'j',
  gh: 'g',
  ph: 'f',
  th: 't',
  dh: 'd',
  ck: 'k',
  q: 'k',
  c: 'k',
  x: 'ks',
  z: 's',
};

/**
 * The consonant skeleton of a folded token: digraphs merged to one sound (kh→h, sh→s, ph→f…),
 * c/q→k, z→s, vowels dropped everywhere, y and w dropped except at the start (where they are
 * consonants), a final "h" after a vowel dropped, doubled letters collapsed. "mohammed",
 * "muhammad", "mukhammad" (from Мухаммад) and "mhmd" (from محمد) all give "mhmd". Never empty: a
 * token made of vowels is its own skeleton.
 */
export function skeletonOf(token: string): string {
  let t = token.replace(/([aeiouy])h$/, '$1');
  // Word-initial y/w are consonants ("yusuf", "walid"); elsewhere they are vowels or glides.
  // An initial w is written v in the romanizations of Slavic and Persian names ("Wagner"/"Vagner").
  const head = /^[yw]/.test(t) ? (t[0] === 'w' ? 'v' : t[0]!) : '';
  if (head) t = t.slice(1);
  t = t.replace(SKELETON_DIGRAPHS, (m) => SKELETON_MAP[m] ?? '');
  const skeleton = (head + t).replace(/(.)\1+/g, '$1');
  return skeleton || token;
}

/** The skeleton of a romanized consonantal-script token (Hebrew): its letters are consonants already; a final h still folds. */
function consonantalSkeleton(token: string): string {
  const t = token.replace(/h$/, '');
  return skeletonOf(t || token);
}

// Arabic letters straight to the skeleton alphabet of `skeletonOf` (kh→h, sh→s, th→t, z→s, q→k…).
// Going through a romanization first would read two letters as one digraph (ز+ه "zh" as ژ).
// Long-vowel carriers, hamza, ayn and ta marbuta are vowels or silent for a skeleton.
const ARABIC_SKELETON: Record<string, string> = {
  ب: 'b',
  ت: 't',
  ث: 't',
  ج: 'j',
  ح: 'h',
  خ: 'h',
  د: 'd',
  ذ: 'd',
  ر: 'r',
  ز: 's',
  س: 's',
  ش: 's',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 's',
  غ: 'g',
  ف: 'f',
  ق: 'k',
  ك: 'k',
  ک: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  ە: 'h',
  پ: 'p',
  چ: 'c',
  ژ: 'j',
  گ: 'g',
  و: 'v',
  ي: 'y',
  ی: 'y',
};

/**
 * The skeleton of an Arabic-script word (articles already split off): consonants mapped as the
 * Latin skeleton maps their romanizations, و and ي kept only word-initially (elsewhere they write
 * long vowels), a final ه dropped (romanizations write "-a" or "-ah", and "-ah" drops its h),
 * doubled letters collapsed.
 */
function arabicSkeleton(word: string): string {
  let out = '';
  for (const ch of word) {
    const mapped = ARABIC_SKELETON[ch];
    if (mapped === undefined) continue;
    if ((mapped === 'v' || mapped === 'y') && out !== '') continue;
    out += mapped;
  }
  return out.replace(/h$/, '').replace(/(.)\1+/g, '$1');
}

interface RawWord {
  text: string;
  consonantal: boolean;
  /** Set for Arabic words, whose skeleton comes from the script itself. */
  skeleton?: string;
}

/** Transliterated words of a name, with Arabic articles split off and Arabic honorifics removed. */
function wordsOf(raw: string): RawWord[] {
  const out: RawWord[] = [];
  for (const word of splitWords(raw)) {
    const consonantal = ARABIC.test(word) || HEBREW.test(word);
    if (ARABIC.test(word)) {
      const bare = word.normalize('NFC').replace(COMBINING_MARKS, '');
      if (ARABIC_HONORIFICS.has(bare)) continue;
      // "الله" keeps its article (Abdullah, Allah); any other "ال" prefix is the article.
      const article = /^ال(?!له$)(?=\p{L}{2,})/u.exec(bare);
      const stem = article ? bare.slice(2) : bare;
      if (article) out.push({ text: 'al', consonantal: false });
      const text = foldWord(stem);
      const skeleton = arabicSkeleton(stem);
      if (text) out.push({ text, consonantal: true, ...(skeleton ? { skeleton } : {}) });
      continue;
    }
    const text = foldWord(word);
    // A hyphen or apostrophe split "al-Baghdadi" already; "albaghdadi" stays whole on purpose
    // (words like "albert" start the same way).
    if (text) out.push({ text, consonantal });
  }
  return out;
}

/**
 * "abd" compounds: "Abd al-Rahman", "Abdul Rahman", "Abdurrahman", "Abdel-Rahman" and Arabic
 * "عبد الرحمن" all become "abd" + "rahman" (the theophoric name carries the evidence, "abd" is
 * common). "Abdullah"/"Abdallah" stays whole: the rest would be the name of God, common to all.
 */
function splitAbd(words: RawWord[]): RawWord[] {
  const out: RawWord[] = [];
  for (const w of words) {
    const latin =
      !w.consonantal && /^abd(?:[aeiou]l|[aeiou](?=([bcdfghjklmnpqrstvwxyz])\1))?([a-z]{3,})$/.exec(w.text);
    const arabic = w.skeleton !== undefined && /^bd(?:l)?([a-z]{3,})$/.exec(w.text);
    if (latin) {
      const rest = latin[2]!.replace(/^(.)\1/, '$1');
      if (/^(?:a|e|u)?ll?ah?$|^lah$/.test(rest) || /^[aeiou]*llah?$/.test(rest)) out.push(w);
      else out.push({ text: 'abd', consonantal: false }, { text: rest, consonantal: false });
    } else if (arabic && !/^l?lh?$/.test(arabic[1]!) && /^bdl?./.test(w.skeleton ?? '')) {
      // ب، د and ل are one letter in both the romanization and the skeleton: the prefixes align.
      const rest = (w.skeleton ?? '').slice(w.text.length - arabic[1]!.length);
      out.push(
        { text: 'bd', consonantal: true, skeleton: 'bd' },
        { text: arabic[1]!, consonantal: true, skeleton: rest },
      );
    } else if (!w.consonantal && /^abd(?:[aeiou][lrsnzdt])?$/.test(w.text)) {
      out.push({ text: 'abd', consonantal: false });
    } else out.push(w);
  }
  return out;
}

/** Removes the multi-word legal forms, longest first, wherever they stand. */
function removeLegalPhrases(words: string[]): string[] {
  let out = words;
  for (const phrase of LEGAL_FORM_PHRASES) {
    for (let i = 0; i + phrase.length <= out.length; i++) {
      if (phrase.every((p, k) => out[i + k] === p)) {
        out = [...out.slice(0, i), ...out.slice(i + phrase.length)];
        i--;
      }
    }
  }
  return out;
}

/** Joins runs of single letters ("s a" from "S. A.", "I R G C") into one word. */
function joinSingleLetters(words: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const w of words) {
    if (w.length === 1 && /[a-z]/.test(w)) run += w;
    else {
      if (run) out.push(run);
      run = '';
      out.push(w);
    }
  }
  if (run) out.push(run);
  return out;
}

function stripEdgeLegalForms(words: string[]): string[] {
  let start = 0;
  let end = words.length;
  while (start < end && (LEGAL_FORMS_EDGE.has(words[start]!) || LEGAL_FORMS_ANYWHERE.has(words[start]!)))
    start++;
  while (end > start && (LEGAL_FORMS_EDGE.has(words[end - 1]!) || LEGAL_FORMS_ANYWHERE.has(words[end - 1]!)))
    end--;
  return words.slice(start, end);
}

/** Longest acronym spans first; a name of many words gets at most this many acronyms. */
const MAX_ACRONYMS = 24;
const ARTICLES = new Set(['al', 'el']);

interface Word {
  readonly text: string;
  /** First letter of the word as written, before generic words are folded to English (acronyms follow the written language). */
  readonly initial?: string;
  readonly consonantal: boolean;
  /** Index in the token list, or -1 for a function word or legal form. */
  readonly token: number;
  /** A legal-form word ("company"): no token, but a letter of some acronyms. */
  readonly legal?: boolean;
}

/** Joined runs of two and three adjacent content words (not across a consonantal word, whose spelling is a skeleton). */
function joinedCompounds(words: readonly Word[], longest = 3): NameCompound[] {
  const content = words.filter((w) => w.token >= 0);
  const out: NameCompound[] = [];
  for (let i = 0; i < content.length; i++) {
    for (let n = 2; n <= longest && i + n <= content.length; n++) {
      const run = content.slice(i, i + n);
      if (run.some((w) => w.consonantal)) break;
      const text = run.map((w) => w.text).join('');
      const skeleton = skeletonOf(text);
      out.push({
        text,
        kind: 'joined',
        covers: unique(run.map((w) => w.token)),
        // Short skeletons would equate unrelated pairs of short words.
        ...(skeleton.length >= 4 ? { skeleton } : {}),
      });
    }
  }
  return out;
}

/**
 * Acronyms of runs of words that start and end on a content word (or on an Arabic article, which
 * acronyms often keep: "AQAP" for "al-Qaida in the Arabian Peninsula"): initials of the content
 * words, and of the content words with the articles. At least three letters: two are too ambiguous.
 */
function acronymCompounds(words: readonly Word[]): NameCompound[] {
  const found = new Map<string, NameCompound>();
  const spans: [number, number][] = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) spans.push([i, j]);
  }
  spans.sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
  for (const [i, j] of spans) {
    if (found.size >= MAX_ACRONYMS) break;
    const first = words[i]!;
    const last = words[j]!;
    if ((last.token < 0 && !last.legal) || (first.token < 0 && !ARTICLES.has(first.text))) continue;
    const run = words.slice(i, j + 1);
    const covers = unique(run.filter((w) => w.token >= 0).map((w) => w.token));
    if (covers.length === 0) continue;
    for (const letters of [
      run.filter((w) => w.token >= 0),
      run.filter((w) => w.token >= 0 || ARTICLES.has(w.text)),
      // Legal forms inside a name often give their letter ("IFIC", Iran Foreign Investment Company).
      run.filter((w) => w.token >= 0 || w.legal),
    ]) {
      const text = letters.map((w) => w.initial ?? w.text[0]).join('');
      if (text.length >= 3 && !found.has(text)) found.set(text, { text, kind: 'acronym', covers });
    }
  }
  return [...found.values()];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * The skeleton a token is matched by. A one-letter skeleton of a long token ("taatta" → "t") would
 * equate unrelated words, so such a token is matched by its own spelling; short words keep theirs
 * ("ali" and "علي" both give "l").
 */
function matchingSkeleton(word: RawWord): string {
  const { text, consonantal } = word;
  const skeleton = word.skeleton ?? (consonantal ? consonantalSkeleton(text) : skeletonOf(text));
  return skeleton.length >= 2 || text.length <= 3 ? skeleton : text;
}

function toTokens(words: readonly RawWord[]): { tokens: NameToken[]; index: Map<string, number> } {
  const index = new Map<string, number>();
  const tokens: NameToken[] = [];
  for (const w of words) {
    if (index.has(w.text)) continue;
    index.set(w.text, tokens.length);
    tokens.push({ text: w.text, skeleton: matchingSkeleton(w), consonantal: w.consonantal });
  }
  return { tokens, index };
}

function normalizePerson(raw: string): NormalizedName {
  const words = splitAbd(wordsOf(raw));
  const kept = words.filter(
    (w) =>
      !HONORIFICS.has(w.text) && !PERSON_PARTICLES.has(w.text) && !(w.text.length === 1 && !w.consonantal),
  );
  // A name made only of titles and particles ("Sheikh", "Al") is still a name: keep what there was.
  const chosen = kept.length > 0 ? kept : words;
  const { tokens, index } = toTokens(chosen);
  const sequence = chosen.map((w) => ({ ...w, token: index.get(w.text)! }));
  return { tokens, compounds: joinedCompounds(sequence) };
}

/**
 * An English plural made singular ("railways" → "railway", "systems" → "system"): the two forms
 * come and go between the names of one body. Words of five letters or more ending in s after a
 * consonant, e or y; "atlas", "nexus", "express" and Romance plurals ("palmas") stay. A word that
 * only looks plural loses its s on every record alike, which is harmless.
 */
function singular(word: string): string {
  return word.length >= 5 && /[^aiosu]s$/.test(word) && !/\d/.test(word) ? word.slice(0, -1) : word;
}

function normalizeOrganization(name: string): NormalizedName {
  const raws = wordsOf(name);
  const byText = new Map(raws.map((w) => [w.text, w]));
  const raw = (text: string): RawWord => byText.get(text) ?? { text, consonantal: false };
  const joined = joinSingleLetters(raws.map((w) => w.text));
  const withoutPhrases = removeLegalPhrases(joined);
  const withoutForms = stripEdgeLegalForms(withoutPhrases.filter((w) => !LEGAL_FORMS_ANYWHERE.has(w)));
  const content = withoutForms.filter((w) => !ORG_STOPWORDS.has(w));
  // Legal forms and function words only ("Company Ltd") still name something: keep them then.
  const base = content.length > 0 ? withoutForms : withoutForms.length > 0 ? withoutForms : joined;
  const isContent = (w: string) => content.length === 0 || !ORG_STOPWORDS.has(w);
  const canonical = (text: string) =>
    ORG_SYNONYMS.get(text) ?? (raw(text).consonantal ? text : singular(text));
  // A translated generic word is matched by its English form, spelling and skeleton alike.
  const { tokens, index } = toTokens(
    base
      .filter(isContent)
      .map((text) => (canonical(text) === text ? raw(text) : { text: canonical(text), consonantal: false })),
  );
  const word = (text: string): Word => ({
    text: canonical(text),
    initial: text[0],
    consonantal: raw(text).consonantal,
    token: isContent(text) ? index.get(canonical(text))! : -1,
  });
  const sequence: Word[] = base.map(word);
  // Acronyms also read the single legal-form words of the name (spelled-out phrases stay out).
  const kept = new Set(base);
  const withLegal: Word[] =
    base === withoutForms
      ? withoutPhrases.flatMap((text): Word[] =>
          kept.has(text)
            ? [word(text)]
            : LEGAL_FORMS_ANYWHERE.has(text)
              ? [{ text, consonantal: false, token: -1, legal: true }]
              : [],
        )
      : sequence;
  return {
    tokens: tokens.map((t) => (GENERIC_ORG_WORDS.has(t.text) ? { ...t, generic: true as const } : t)),
    compounds: [...joinedCompounds(sequence), ...acronymCompounds(withLegal)],
  };
}

/**
 * Normalizes an address into the same token-set form as names: folded words (every script
 * transliterated; the skeleton is the word itself) and pairs of adjacent words joined
 * ("mount view"/"mountview").
 * Nothing is removed: which words are common ("street", a state) is learnt from their rarity.
 */
export function normalizeAddress(raw: string): NormalizedName {
  const words = foldText(raw).map((text) => ({ text, consonantal: false }));
  const index = new Map<string, number>();
  const tokens: NameToken[] = [];
  for (const w of words) {
    if (index.has(w.text)) continue;
    index.set(w.text, tokens.length);
    // Address words are matched by spelling and Dice only: a street's skeleton adds little and
    // would double the keyed ids of every address.
    tokens.push({ text: w.text, skeleton: w.text, consonantal: false });
  }
  return {
    tokens,
    compounds: joinedCompounds(
      words.map((w) => ({ ...w, token: index.get(w.text)! })),
      2,
    ),
  };
}

/**
 * Normalizes one name of a person or organization into the token set that gets blinded.
 * Guarantees: tokens are distinct lower-case [a-z0-9]+ strings, each with a non-empty skeleton;
 * the result depends neither on case, accents, punctuation nor script (for Latin, Cyrillic, Greek
 * and Arabic); honorifics and name particles are removed for persons, legal forms and function
 * words for organizations (unless nothing else is left). An empty or symbol-only input gives no
 * tokens.
 */
export function normalizeName(raw: string, kind: NameKind): NormalizedName {
  switch (kind) {
    case 'person':
      return normalizePerson(raw);
    case 'organization':
      return normalizeOrganization(raw);
    case 'other': {
      const words = wordsOf(raw);
      const { tokens, index } = toTokens(words);
      return { tokens, compounds: joinedCompounds(words.map((w) => ({ ...w, token: index.get(w.text)! }))) };
    }
  }
}
