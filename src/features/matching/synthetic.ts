/*
 * A deterministic generator of synthetic FollowTheMoney entities (Person, Company, BankAccount)
 * held by several organizations, with a known share of the same real-world party recorded by
 * more than one organization, for the matching benchmark (issue 4, speed) and its sanity check.
 *
 * What makes it realistic enough to load the matcher as real data would:
 *  - name frequencies are Zipf-like per region (a short head of real names, then a long tail of
 *    names built from the region's syllables), so frequent given names and surnames exceed the
 *    candidate cap (`maxPostings`) at scale, as "Mohammed" or "Wang" do, and homonyms that are
 *    different people are common;
 *  - the records of one party differ as records of different agencies do: typing errors,
 *    romanization variants, names in Cyrillic or Arabic script, surname first or after a comma,
 *    a dropped middle name or second surname, partial, missing or one-digit-off dates of birth,
 *    phone numbers, passports, registration numbers and IBANs written in other formats, fields
 *    one agency has and the other has not.
 * It is a stream: entities are made one by one from one seeded PRNG, and only the later records of
 * pending parties are held (at most those due within `window` positions).
 */

/** An organization of the synthetic world: records are read with its country (phones). */
export interface SyntheticOrganization {
  readonly name: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
}

export interface SyntheticOptions {
  /** Number of entities (records) to make. */
  readonly n: number;
  readonly seed?: number;
  readonly organizations?: readonly SyntheticOrganization[];
  /** Share of parties recorded by more than one organization (default 0.1). */
  readonly duplicateRate?: number;
  /** Later records of a party come within this many positions of its first (default 20,000). */
  readonly window?: number;
}

export interface SyntheticEntity {
  /** Position in the stream, 0 … n − 1. */
  readonly index: number;
  readonly id: string;
  readonly schema: 'Person' | 'Company' | 'BankAccount';
  readonly properties: Record<string, string[]>;
  /** Index into the organizations. */
  readonly organization: number;
  /** The real-world party: records with the same cluster are the same party (the truth). */
  readonly cluster: number;
  /** How many records the party was given (some may fall beyond `n`). */
  readonly clusterSize: number;
}

export const DEFAULT_ORGANIZATIONS: readonly SyntheticOrganization[] = [
  { name: 'Guardia Civil', country: 'ES' },
  { name: 'Bundeskriminalamt', country: 'DE' },
  { name: 'Police judiciaire', country: 'FR' },
  { name: 'National Crime Agency', country: 'GB' },
  { name: 'Guardia di Finanza', country: 'IT' },
  { name: 'Politie', country: 'NL' },
  { name: 'Emniyet', country: 'TR' },
  { name: 'Dubai Police', country: 'AE' },
  { name: 'DCI Kenya', country: 'KE' },
  { name: 'National Police of Ukraine', country: 'UA' },
];

/** mulberry32: small, fast, and the same sequence in every process. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const chance = (random: Random, p: number): boolean => random() < p;
const int = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const digits = (random: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(random() * 10));
  return s;
};
const letters = (random: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(65 + Math.floor(random() * 26));
  return s;
};

/** A rank in 0 … size − 1 with probability ∝ (rank + 1)^−s (continuous approximation of Zipf's law). */
function zipfRank(random: Random, size: number, s: number): number {
  const u = random();
  const x = Math.abs(s - 1) < 1e-9 ? (size + 1) ** u : ((size + 1) ** (1 - s) - 1) * u + 1;
  const r = Math.abs(s - 1) < 1e-9 ? x : x ** (1 / (1 - s));
  return Math.min(size - 1, Math.max(0, Math.floor(r) - 1));
}

/** A name in Latin script with its other romanizations and, for some regions, its native spelling. */
interface NameForm {
  readonly latin: readonly string[];
  readonly native?: string;
}

/** A syllable: its romanization and its spelling in the region's script ('' when Latin only). */
type Syllable = readonly [latin: string, native: string];

interface Region {
  readonly id: string;
  readonly countries: readonly string[];
  readonly weight: number;
  readonly male: readonly NameForm[];
  readonly female: readonly NameForm[];
  readonly surnames: readonly NameForm[];
  /** Size of the name pools, head included: the tail is built from syllables. */
  readonly givenPool: number;
  readonly surnamePool: number;
  readonly givenExponent: number;
  readonly surnameExponent: number;
  readonly syllables: readonly Syllable[];
  readonly suffixes: readonly Syllable[];
  /** Share of records of this region written in the native script (Cyrillic, Arabic). */
  readonly nativeShare: number;
  /** Two surnames (Spanish custom). */
  readonly doubleSurname?: boolean;
  /** Patronymic or father's name as a middle part. */
  readonly middle?: 'patronymic' | 'father';
  /** Surname first as the usual order (Chinese). */
  readonly surnameFirst?: boolean;
}

const f = (native: string | undefined, ...latin: string[]): NameForm =>
  native ? { latin, native } : { latin };

const SLAVIC: Region = {
  id: 'slavic',
  countries: ['RU', 'UA', 'BY', 'KZ'],
  weight: 0.17,
  male: [
    f('Александр', 'Aleksandr', 'Alexander', 'Oleksandr'),
    f('Сергей', 'Sergei', 'Sergey', 'Serguei'),
    f('Дмитрий', 'Dmitri', 'Dmitry', 'Dmitriy'),
    f('Андрей', 'Andrei', 'Andrey', 'Andriy'),
    f('Алексей', 'Alexei', 'Aleksey', 'Alexey'),
    f('Иван', 'Ivan'),
    f('Владимир', 'Vladimir', 'Volodymyr', 'Wladimir'),
    f('Михаил', 'Mikhail', 'Mykhailo', 'Michail'),
    f('Юрий', 'Yuri', 'Yury', 'Iurii'),
    f('Николай', 'Nikolai', 'Nikolay', 'Mykola'),
    f('Евгений', 'Evgeny', 'Yevgeniy', 'Evgenii'),
    f('Виктор', 'Viktor', 'Victor'),
    f('Олег', 'Oleg', 'Oleh'),
    f('Игорь', 'Igor', 'Ihor'),
    f('Павел', 'Pavel', 'Pavlo'),
  ],
  female: [
    f('Елена', 'Elena', 'Yelena', 'Olena'),
    f('Ольга', 'Olga', 'Olha'),
    f('Наталья', 'Natalia', 'Natalya', 'Nataliya'),
    f('Татьяна', 'Tatiana', 'Tatyana', 'Tetiana'),
    f('Ирина', 'Irina', 'Iryna'),
    f('Светлана', 'Svetlana', 'Svitlana'),
    f('Анна', 'Anna'),
    f('Мария', 'Maria', 'Mariya'),
    f('Юлия', 'Yulia', 'Yuliya', 'Julia'),
    f('Екатерина', 'Ekaterina', 'Yekaterina', 'Kateryna'),
  ],
  surnames: [
    f('Иванов', 'Ivanov', 'Iwanow'),
    f('Смирнов', 'Smirnov'),
    f('Кузнецов', 'Kuznetsov', 'Kuznetsoff'),
    f('Попов', 'Popov'),
    f('Шевченко', 'Shevchenko', 'Chevtchenko', 'Schewtschenko'),
    f('Петров', 'Petrov', 'Petroff'),
    f('Коваленко', 'Kovalenko'),
    f('Соколов', 'Sokolov'),
    f('Бондаренко', 'Bondarenko'),
    f('Морозов', 'Morozov'),
    f('Новиков', 'Novikov'),
    f('Ткаченко', 'Tkachenko', 'Tkatchenko'),
    f('Волков', 'Volkov'),
    f('Кравченко', 'Kravchenko'),
    f('Лебедев', 'Lebedev'),
    f('Козлов', 'Kozlov'),
  ],
  givenPool: 600,
  surnamePool: 60_000,
  givenExponent: 1.1,
  surnameExponent: 0.85,
  syllables: [
    ['ko', 'ко'],
    ['va', 'ва'],
    ['len', 'лен'],
    ['bor', 'бор'],
    ['mir', 'мир'],
    ['tro', 'тро'],
    ['pet', 'пет'],
    ['ros', 'рос'],
    ['dan', 'дан'],
    ['vol', 'вол'],
    ['kuz', 'куз'],
    ['gor', 'гор'],
    ['bel', 'бел'],
    ['zar', 'зар'],
    ['shev', 'шев'],
    ['cher', 'чер'],
    ['zhu', 'жу'],
    ['kha', 'ха'],
    ['lyu', 'лю'],
    ['yar', 'яр'],
    ['sta', 'ста'],
    ['gri', 'гри'],
    ['nes', 'нес'],
    ['tar', 'тар'],
    ['ma', 'ма'],
    ['ri', 'ри'],
  ],
  suffixes: [
    ['ov', 'ов'],
    ['ev', 'ев'],
    ['enko', 'енко'],
    ['sky', 'ский'],
    ['in', 'ин'],
    ['uk', 'ук'],
    ['chuk', 'чук'],
    ['ovich', 'ович'],
  ],
  nativeShare: 0.25,
  middle: 'patronymic',
};

const ARABIC: Region = {
  id: 'arabic',
  countries: ['EG', 'AE', 'SA', 'IQ', 'SY', 'MA', 'LB', 'JO'],
  weight: 0.18,
  male: [
    f('محمد', 'Mohammed', 'Muhammad', 'Mohamed', 'Mohammad'),
    f('أحمد', 'Ahmed', 'Ahmad'),
    f('علي', 'Ali'),
    f('عمر', 'Omar', 'Umar'),
    f('حسن', 'Hassan', 'Hasan'),
    f('حسين', 'Hussein', 'Husain', 'Hussain'),
    f('خالد', 'Khaled', 'Khalid'),
    f('يوسف', 'Youssef', 'Yusuf', 'Yousef'),
    f('إبراهيم', 'Ibrahim', 'Ebrahim'),
    f('مصطفى', 'Mustafa', 'Moustafa', 'Mostafa'),
    f('طارق', 'Tariq', 'Tarek', 'Tarik'),
    f('سمير', 'Samir', 'Sameer'),
    f('كريم', 'Karim', 'Kareem'),
    f('سعيد', 'Said', 'Saeed', 'Saied'),
    f('جمال', 'Jamal', 'Gamal'),
  ],
  female: [
    f('فاطمة', 'Fatima', 'Fatma', 'Fatimah'),
    f('عائشة', 'Aisha', 'Aicha', 'Ayesha'),
    f('مريم', 'Mariam', 'Maryam'),
    f('ليلى', 'Layla', 'Leila', 'Laila'),
    f('نور', 'Nour', 'Noor'),
    f('زينب', 'Zainab', 'Zeinab'),
    f('سارة', 'Sara', 'Sarah'),
    f('هدى', 'Huda', 'Hoda'),
  ],
  surnames: [
    f('المصري', 'Al-Masri', 'El Masry', 'Almasri'),
    f('حداد', 'Haddad'),
    f('خليل', 'Khalil', 'Khaleel'),
    f('ناصر', 'Nasser', 'Nasir'),
    f('صالح', 'Saleh', 'Salih'),
    f('منصور', 'Mansour', 'Mansur'),
    f('عباس', 'Abbas'),
    f('قاسم', 'Qasim', 'Kassem', 'Kasim'),
    f('حمدان', 'Hamdan'),
    f('الهاشمي', 'Al-Hashimi', 'El Hachemi'),
    f('عثمان', 'Othman', 'Osman', 'Uthman'),
    f('الشامي', 'Al-Shami', 'El Chami'),
  ],
  givenPool: 500,
  surnamePool: 50_000,
  givenExponent: 1.2,
  surnameExponent: 0.85,
  // Consonants with their letter; vowels are added in Latin only (Arabic writes short vowels not at all).
  syllables: [
    ['b', 'ب'],
    ['t', 'ت'],
    ['j', 'ج'],
    ['h', 'ح'],
    ['kh', 'خ'],
    ['d', 'د'],
    ['r', 'ر'],
    ['z', 'ز'],
    ['s', 'س'],
    ['sh', 'ش'],
    ['f', 'ف'],
    ['q', 'ق'],
    ['k', 'ك'],
    ['l', 'ل'],
    ['m', 'م'],
    ['n', 'ن'],
  ],
  suffixes: [],
  nativeShare: 0.25,
  middle: 'father',
};

const HISPANIC: Region = {
  id: 'hispanic',
  countries: ['ES', 'MX', 'CO', 'AR', 'VE', 'PE'],
  weight: 0.17,
  male: [
    f(undefined, 'José', 'Jose'),
    f(undefined, 'Juan'),
    f(undefined, 'Carlos'),
    f(undefined, 'Luis'),
    f(undefined, 'Jorge'),
    f(undefined, 'Miguel'),
    f(undefined, 'Javier', 'Xavier'),
    f(undefined, 'Alejandro'),
  ],
  female: [
    f(undefined, 'María', 'Maria'),
    f(undefined, 'Ana'),
    f(undefined, 'Carmen'),
    f(undefined, 'Lucía', 'Lucia'),
    f(undefined, 'Isabel'),
    f(undefined, 'Sofía', 'Sofia'),
  ],
  surnames: [
    f(undefined, 'García', 'Garcia'),
    f(undefined, 'Rodríguez', 'Rodriguez'),
    f(undefined, 'Martínez', 'Martinez'),
    f(undefined, 'López', 'Lopez'),
    f(undefined, 'González', 'Gonzalez'),
    f(undefined, 'Hernández', 'Hernandez'),
    f(undefined, 'Pérez', 'Perez'),
    f(undefined, 'Sánchez', 'Sanchez'),
    f(undefined, 'Ramírez', 'Ramirez'),
    f(undefined, 'Torres'),
    f(undefined, 'Flores'),
    f(undefined, 'Gómez', 'Gomez'),
  ],
  givenPool: 800,
  surnamePool: 40_000,
  givenExponent: 1.05,
  surnameExponent: 0.95,
  syllables: [
    ['ca', ''],
    ['ri', ''],
    ['llo', ''],
    ['me', ''],
    ['dre', ''],
    ['gal', ''],
    ['bar', ''],
    ['ro', ''],
    ['sal', ''],
    ['ve', ''],
    ['ci', ''],
    ['mon', ''],
    ['ta', ''],
    ['lar', ''],
    ['fu', ''],
    ['en', ''],
  ],
  suffixes: [
    ['ez', ''],
    ['era', ''],
    ['ano', ''],
    ['oso', ''],
    ['ales', ''],
    ['ón', ''],
  ],
  nativeShare: 0,
  doubleSurname: true,
};

const WEST_AFRICAN: Region = {
  id: 'west-african',
  countries: ['NG', 'GH', 'SN', 'CI', 'KE'],
  weight: 0.13,
  male: [
    f(undefined, 'Chinedu'),
    f(undefined, 'Kwame'),
    f(undefined, 'Kofi'),
    f(undefined, 'Mamadou', 'Mamadu'),
    f(undefined, 'Abdoulaye', 'Abdulai'),
    f(undefined, 'Oluwaseun', 'Seun'),
    f(undefined, 'Emeka'),
    f(undefined, 'Ousmane', 'Usman'),
  ],
  female: [
    f(undefined, 'Fatou', 'Fatu'),
    f(undefined, 'Aminata'),
    f(undefined, 'Ngozi'),
    f(undefined, 'Ama'),
    f(undefined, 'Adaeze'),
  ],
  surnames: [
    f(undefined, 'Okafor'),
    f(undefined, 'Adeyemi'),
    f(undefined, 'Mensah'),
    f(undefined, 'Diallo', 'Jallow'),
    f(undefined, 'Traoré', 'Traore'),
    f(undefined, 'Koné', 'Kone'),
    f(undefined, 'Ouédraogo', 'Ouedraogo'),
    f(undefined, 'Okonkwo'),
    f(undefined, 'Boateng'),
    f(undefined, 'Balogun'),
  ],
  givenPool: 1500,
  surnamePool: 40_000,
  givenExponent: 0.95,
  surnameExponent: 0.9,
  syllables: [
    ['o', ''],
    ['ka', ''],
    ['fo', ''],
    ['ade', ''],
    ['yemi', ''],
    ['ba', ''],
    ['lo', ''],
    ['gun', ''],
    ['nwa', ''],
    ['chu', ''],
    ['ku', ''],
    ['ma', ''],
    ['se', ''],
    ['tey', ''],
    ['dia', ''],
    ['wu', ''],
  ],
  suffixes: [
    ['a', ''],
    ['e', ''],
    ['o', ''],
    ['ah', ''],
    ['ye', ''],
  ],
  nativeShare: 0,
};

const EUROPEAN: Region = {
  id: 'european',
  countries: ['DE', 'FR', 'GB', 'IT', 'NL', 'PL'],
  weight: 0.2,
  male: [
    f(undefined, 'Thomas'),
    f(undefined, 'Michael', 'Michel'),
    f(undefined, 'Peter', 'Pieter'),
    f(undefined, 'Jean'),
    f(undefined, 'Marco'),
    f(undefined, 'John'),
    f(undefined, 'David'),
    f(undefined, 'Jan'),
    f(undefined, 'Stefan', 'Stephan'),
    f(undefined, 'Giuseppe'),
  ],
  female: [
    f(undefined, 'Marie'),
    f(undefined, 'Sarah', 'Sara'),
    f(undefined, 'Anna'),
    f(undefined, 'Julia'),
    f(undefined, 'Laura'),
    f(undefined, 'Giulia'),
    f(undefined, 'Emma'),
  ],
  surnames: [
    f(undefined, 'Müller', 'Mueller', 'Muller'),
    f(undefined, 'Schmidt', 'Schmitt'),
    f(undefined, 'Martin'),
    f(undefined, 'Smith'),
    f(undefined, 'Rossi'),
    f(undefined, 'de Jong', 'De Jong', 'Dejong'),
    f(undefined, 'Bernard'),
    f(undefined, 'Schneider', 'Schnieder'),
    f(undefined, 'Jones'),
    f(undefined, 'Kowalski'),
    f(undefined, 'Russo'),
    f(undefined, 'Fischer'),
  ],
  givenPool: 2000,
  surnamePool: 80_000,
  givenExponent: 1.0,
  surnameExponent: 0.8,
  syllables: [
    ['ber', ''],
    ['wald', ''],
    ['hof', ''],
    ['man', ''],
    ['lin', ''],
    ['ton', ''],
    ['mar', ''],
    ['ri', ''],
    ['van', ''],
    ['del', ''],
    ['stein', ''],
    ['bro', ''],
    ['ken', ''],
    ['sel', ''],
    ['gra', ''],
    ['dor', ''],
  ],
  suffixes: [
    ['er', ''],
    ['mann', ''],
    ['son', ''],
    ['ini', ''],
    ['et', ''],
    ['ski', ''],
    ['s', ''],
  ],
  nativeShare: 0,
};

const TURKISH: Region = {
  id: 'turkish',
  countries: ['TR', 'AZ'],
  weight: 0.08,
  male: [
    f(undefined, 'Mehmet', 'Mehmed'),
    f(undefined, 'Mustafa'),
    f(undefined, 'Ahmet'),
    f(undefined, 'Hüseyin', 'Huseyin'),
    f(undefined, 'Murat'),
  ],
  female: [
    f(undefined, 'Ayşe', 'Ayse'),
    f(undefined, 'Fatma'),
    f(undefined, 'Emine'),
    f(undefined, 'Zeynep'),
  ],
  surnames: [
    f(undefined, 'Yılmaz', 'Yilmaz'),
    f(undefined, 'Kaya'),
    f(undefined, 'Demir'),
    f(undefined, 'Şahin', 'Sahin'),
    f(undefined, 'Çelik', 'Celik'),
    f(undefined, 'Öztürk', 'Ozturk'),
  ],
  givenPool: 700,
  surnamePool: 20_000,
  givenExponent: 1.05,
  surnameExponent: 0.95,
  syllables: [
    ['ak', ''],
    ['dağ', ''],
    ['er', ''],
    ['gün', ''],
    ['kar', ''],
    ['taş', ''],
    ['yıl', ''],
    ['bey', ''],
    ['oğ', ''],
    ['can', ''],
  ],
  suffixes: [
    ['oğlu', ''],
    ['an', ''],
    ['er', ''],
    ['türk', ''],
  ],
  nativeShare: 0,
};

const CHINESE: Region = {
  id: 'chinese',
  countries: ['CN', 'HK', 'SG'],
  weight: 0.07,
  male: [f(undefined, 'Wei'), f(undefined, 'Jun'), f(undefined, 'Lei'), f(undefined, 'Jian')],
  female: [f(undefined, 'Na'), f(undefined, 'Fang'), f(undefined, 'Li'), f(undefined, 'Jing')],
  surnames: [
    f(undefined, 'Wang'),
    f(undefined, 'Li', 'Lee'),
    f(undefined, 'Zhang', 'Chang'),
    f(undefined, 'Liu', 'Lau'),
    f(undefined, 'Chen', 'Chan'),
    f(undefined, 'Yang'),
    f(undefined, 'Huang', 'Wong'),
    f(undefined, 'Zhao', 'Chiu'),
    f(undefined, 'Wu', 'Ng'),
    f(undefined, 'Zhou', 'Chow'),
  ],
  givenPool: 4000,
  surnamePool: 400,
  givenExponent: 0.9,
  surnameExponent: 1.3,
  syllables: [
    ['xiao', ''],
    ['ming', ''],
    ['hua', ''],
    ['jian', ''],
    ['guo', ''],
    ['hong', ''],
    ['yu', ''],
    ['mei', ''],
    ['qiang', ''],
    ['ping', ''],
    ['zhi', ''],
    ['hai', ''],
    ['lin', ''],
    ['tao', ''],
    ['xin', ''],
    ['yan', ''],
  ],
  suffixes: [],
  nativeShare: 0,
  surnameFirst: true,
};

const REGIONS: readonly Region[] = [SLAVIC, ARABIC, HISPANIC, WEST_AFRICAN, EUROPEAN, TURKISH, CHINESE];

const ARABIC_VOWELS = ['a', 'i', 'u'] as const;
const ARABIC_LONG: Record<string, string> = { a: 'ا', i: 'ي', u: 'و' };
const SLAVIC_PATRONYMIC: Syllable = ['ovich', 'ович'];

function hashSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h ^= p;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/**
 * The tail name of a rank, built from syllables with a PRNG seeded by the rank, so the pool is
 * never stored. Arabic names are built from three consonants and vowel patterns, so that their
 * Arabic spelling is the consonants with the long vowels only.
 */
function tailName(region: Region, kind: number, rank: number): NameForm {
  const random = seededRandom(hashSeed(REGIONS.indexOf(region), kind, rank));
  if (region.id === 'arabic') {
    let latin = '';
    let native = '';
    const n = chance(random, 0.7) ? 3 : 4;
    for (let i = 0; i < n; i++) {
      const [l, a] = pick(random, region.syllables);
      latin += l;
      native += a;
      if (i < n - 1) {
        const v = pick(random, ARABIC_VOWELS);
        const long = chance(random, 0.35);
        latin += long && v !== 'a' ? v + v : v;
        if (long) native += ARABIC_LONG[v]!;
      }
    }
    const alt = latin.replace(/uu/g, 'ou').replace(/ii/g, 'ee').replace(/q/g, 'k').replace(/kh/g, 'ch');
    return { latin: alt !== latin ? [capitalize(latin), capitalize(alt)] : [capitalize(latin)], native };
  }
  let latin = '';
  let native = '';
  const n = region.id === 'chinese' ? 2 : chance(random, 0.6) ? 2 : 3;
  for (let i = 0; i < n; i++) {
    const [l, c] = pick(random, region.syllables);
    latin += l;
    native += c;
  }
  if (region.suffixes.length > 0 && kind === 2) {
    const [l, c] = pick(random, region.suffixes);
    latin += l;
    native += c;
  }
  const variants = [capitalize(latin)];
  if (region.id === 'slavic') {
    const alt = latin
      .replace(/sky$/, pick(random, ['skiy', 'ski', 'skyi']))
      .replace(/kh/g, 'h')
      .replace(/yu/g, 'iu')
      .replace(/ov$/, 'ow')
      .replace(/ya/g, 'ia');
    if (alt !== latin) variants.push(capitalize(alt));
  }
  return native ? { latin: variants, native: capitalize(native) } : { latin: variants };
}

/** kind: 0 male given, 1 female given, 2 surname. */
function nameAt(region: Region, kind: 0 | 1 | 2, rank: number): NameForm {
  const head = kind === 0 ? region.male : kind === 1 ? region.female : region.surnames;
  return rank < head.length ? head[rank]! : tailName(region, kind, rank);
}

function drawName(random: Random, region: Region, kind: 0 | 1 | 2): NameForm {
  const pool = kind === 2 ? region.surnamePool : region.givenPool;
  const s = kind === 2 ? region.surnameExponent : region.givenExponent;
  return nameAt(region, kind, zipfRank(random, pool, s));
}

function drawRegion(random: Random): Region {
  let r = random() * REGIONS.reduce((s, x) => s + x.weight, 0);
  for (const region of REGIONS) {
    r -= region.weight;
    if (r < 0) return region;
  }
  return REGIONS[REGIONS.length - 1]!;
}

// ---------------------------------------------------------------------------------------------
// Identifiers, generated valid (phones in assigned mobile ranges, IBANs with their check digits).

/** Mobile number patterns: country calling code, national prefix digits, remaining digit count. */
const PHONE_PLANS: Record<string, { cc: string; prefixes: readonly string[]; rest: number; trunk: string }> =
  {
    GB: { cc: '44', prefixes: ['7712', '7723', '7748', '7799', '7507'], rest: 6, trunk: '0' },
    DE: { cc: '49', prefixes: ['151', '160', '170', '171', '176'], rest: 8, trunk: '0' },
    FR: {
      cc: '33',
      prefixes: ['61', '62', '64', '65', '66', '67', '68', '75', '76', '77', '78'],
      rest: 7,
      trunk: '0',
    },
    ES: { cc: '34', prefixes: ['6'], rest: 8, trunk: '' },
    IT: { cc: '39', prefixes: ['347', '333', '320', '388'], rest: 7, trunk: '' },
    NL: { cc: '31', prefixes: ['61', '62', '63', '64', '65'], rest: 7, trunk: '0' },
    TR: { cc: '90', prefixes: ['532', '533', '542', '555'], rest: 7, trunk: '0' },
    AE: { cc: '971', prefixes: ['50', '52', '55', '56'], rest: 7, trunk: '0' },
    KE: { cc: '254', prefixes: ['70', '71', '72'], rest: 7, trunk: '0' },
    UA: { cc: '380', prefixes: ['50', '67', '68', '97'], rest: 7, trunk: '0' },
    RU: { cc: '7', prefixes: ['903', '916', '925', '985'], rest: 7, trunk: '8' },
    NG: { cc: '234', prefixes: ['803', '806', '813'], rest: 7, trunk: '0' },
    EG: { cc: '20', prefixes: ['10', '11', '12'], rest: 8, trunk: '0' },
    CN: { cc: '86', prefixes: ['138', '139', '135'], rest: 8, trunk: '' },
    CO: { cc: '57', prefixes: ['300', '310', '315'], rest: 7, trunk: '' },
    MX: { cc: '52', prefixes: ['55'], rest: 8, trunk: '' },
  };

interface Phone {
  readonly country: string;
  /** National significant number. */
  readonly nsn: string;
}

function phoneOf(random: Random, country: string): Phone {
  const plan = PHONE_PLANS[country] ?? PHONE_PLANS[pick(random, ['GB', 'DE', 'FR', 'AE'])]!;
  const c = PHONE_PLANS[country] ? country : Object.keys(PHONE_PLANS).find((k) => PHONE_PLANS[k] === plan)!;
  return { country: c, nsn: pick(random, plan.prefixes) + digits(random, plan.rest) };
}

function groupDigits(random: Random, s: string): string {
  const sep = pick(random, [' ', ' ', '-', '.', '']);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const n = i === 0 ? int(random, 2, 4) : int(random, 2, 4);
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out.join(sep);
}

/** A phone as some agency would type it; national form only when the agency reads it in that country. */
function formatPhone(random: Random, phone: Phone, ownerCountry: string): string {
  const plan = PHONE_PLANS[phone.country]!;
  const r = random();
  if (r < 0.3) return `+${plan.cc}${phone.nsn}`;
  if (r < 0.6) return `+${plan.cc} ${groupDigits(random, phone.nsn)}`;
  if (r < 0.75) return `00${plan.cc} ${groupDigits(random, phone.nsn)}`;
  if (r < 0.85) return `+${plan.cc} (${phone.nsn.slice(0, 3)}) ${phone.nsn.slice(3)}`;
  if (phone.country === ownerCountry) return `${plan.trunk}${groupDigits(random, phone.nsn)}`;
  return `+${plan.cc}${phone.nsn}`;
}

// Basic bank account numbers of countries without national check digits.
const IBAN_PLANS: Record<string, (random: Random) => string> = {
  DE: (random) => digits(random, 18),
  GB: (random) => letters(random, 4) + digits(random, 14),
  NL: (random) => letters(random, 4) + digits(random, 10),
  AE: (random) => digits(random, 19),
};

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}

/** An IBAN with valid ISO 7064 check digits, of DE, GB, NL or AE (others fall back to DE). */
export function ibanOf(random: Random, country: string): string {
  const plan = IBAN_PLANS[country] ?? IBAN_PLANS.DE!;
  const c = IBAN_PLANS[country] ? country : 'DE';
  const bban = plan(random);
  const check = 98 - mod97(`${bban}${c}00`);
  return `${c}${String(check).padStart(2, '0')}${bban}`;
}

function formatIban(random: Random, iban: string): string {
  const r = random();
  if (r < 0.4) return iban;
  const grouped = iban.match(/.{1,4}/g)!.join(' ');
  if (r < 0.8) return grouped;
  if (r < 0.9) return grouped.toLowerCase();
  return `IBAN ${grouped}`;
}

function formatDocument(random: Random, number: string, country: string): string {
  const r = random();
  if (r < 0.5) return number;
  if (r < 0.65) return number.toLowerCase();
  if (r < 0.8) return `${number.slice(0, 2)} ${number.slice(2)}`;
  if (r < 0.9) return `${number.slice(0, 3)}-${number.slice(3)}`;
  return `${country} ${number}`;
}

function passportOf(random: Random): string {
  const r = random();
  if (r < 0.4) return letters(random, 2) + digits(random, 7);
  if (r < 0.7) return digits(random, 9);
  return letters(random, 1) + digits(random, 8);
}

// ---------------------------------------------------------------------------------------------
// Text variation.

const NEIGHBOURS = 'qwertyuiopasdfghjklzxcvbnm';

/** One typing error: two letters exchanged, one dropped, doubled or replaced by a keyboard neighbour. */
function typo(random: Random, word: string): string {
  if (word.length < 4 || !/^[\p{Script=Latin}' -]+$/u.test(word)) return word;
  const i = int(random, 1, word.length - 2);
  const r = random();
  if (r < 0.3) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (r < 0.5) return word.slice(0, i) + word.slice(i + 1);
  if (r < 0.65) return word.slice(0, i) + word[i] + word.slice(i);
  const c = word[i]!.toLowerCase();
  const k = NEIGHBOURS.indexOf(c);
  const next =
    k < 0 ? 'e' : NEIGHBOURS[(k + (random() < 0.5 ? 1 : NEIGHBOURS.length - 1)) % NEIGHBOURS.length]!;
  return word.slice(0, i) + next + word.slice(i + 1);
}

function stripAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i');
}

// ---------------------------------------------------------------------------------------------
// Parties and their records.

interface BirthDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

interface PersonParty {
  readonly type: 'person';
  readonly region: Region;
  readonly female: boolean;
  readonly given: NameForm;
  readonly middle: NameForm | null;
  readonly surname: NameForm;
  readonly surname2: NameForm | null;
  readonly birth: BirthDate | null;
  readonly nationality: string;
  readonly passport: string | null;
  readonly idNumber: string | null;
  readonly phone: Phone | null;
  readonly email: string | null;
  readonly address: Address | null;
}

interface CompanyParty {
  readonly type: 'company';
  readonly region: Region;
  readonly words: readonly NameForm[];
  readonly generic: readonly string[];
  readonly legalForm: readonly string[];
  readonly jurisdiction: string;
  readonly registration: string | null;
  readonly incorporation: BirthDate | null;
  readonly phone: Phone | null;
  readonly email: string | null;
  readonly address: Address | null;
}

interface AccountParty {
  readonly type: 'account';
  readonly iban: string;
  readonly bank: string;
  readonly country: string;
}

type Party = PersonParty | CompanyParty | AccountParty;

interface Address {
  readonly number: number;
  readonly street: string;
  readonly streetType: readonly string[];
  readonly postcode: string;
  readonly city: string;
}

const STREET_TYPES: readonly (readonly string[])[] = [
  ['Street', 'St.', 'St'],
  ['Road', 'Rd.', 'Rd'],
  ['Avenue', 'Ave.', 'Av.'],
  ['Strasse', 'Straße', 'Str.'],
  ['Rue', 'Rue'],
  ['Calle', 'C/'],
];
const CITIES = [
  'London',
  'Berlin',
  'Hamburg',
  'Paris',
  'Marseille',
  'Madrid',
  'Barcelona',
  'Milano',
  'Roma',
  'Rotterdam',
  'Istanbul',
  'Dubai',
  'Nairobi',
  'Kyiv',
  'Odesa',
  'Lagos',
  'Cairo',
  'Moscow',
];

const GENERIC_WORDS = [
  'Trading',
  'General Trading',
  'Holdings',
  'Logistics',
  'Import Export',
  'Shipping',
  'Investments',
  'Consulting',
  'Construction',
  'Petroleum',
  'International',
  'Global',
  'Group',
  'Services',
  'Technologies',
  'Real Estate',
  'Marine',
  'Energy',
  'Capital',
  'Partners',
];
const LEGAL_FORMS: Record<string, readonly (readonly string[])[]> = {
  default: [
    ['LLC', 'L.L.C.', 'Limited Liability Company'],
    ['Ltd', 'Ltd.', 'Limited'],
    ['Inc.', 'Inc', 'Incorporated'],
  ],
  DE: [
    ['GmbH', 'G.m.b.H.'],
    ['AG', 'Aktiengesellschaft'],
  ],
  FR: [
    ['SARL', 'S.A.R.L.'],
    ['SAS', 'S.A.S.'],
  ],
  ES: [
    ['S.L.', 'SL'],
    ['S.A.', 'SA', 'Sociedad Anónima'],
  ],
  AE: [
    ['FZE', 'F.Z.E.'],
    ['FZCO', 'FZ-CO'],
    ['LLC', 'L.L.C.'],
  ],
  RU: [['OOO', 'ООО', 'LLC']],
  UA: [['TOV', 'ТОВ', 'LLC']],
  TR: [['A.Ş.', 'AS', 'Anonim Şirketi']],
  NL: [['B.V.', 'BV']],
};

function drawDate(random: Random, from: number, to: number): BirthDate {
  return { year: int(random, from, to), month: int(random, 1, 12), day: int(random, 1, 28) };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function drawAddress(random: Random): Address {
  return {
    number: int(random, 1, 250),
    street: capitalize(
      pick(random, EUROPEAN.syllables)[0] +
        pick(random, EUROPEAN.syllables)[0] +
        pick(random, ['', 'er', 'en', 'ton', 'field']),
    ),
    streetType: pick(random, STREET_TYPES),
    postcode: digits(random, 5),
    city: pick(random, CITIES),
  };
}

function formatAddress(random: Random, a: Address, noisy: boolean): string {
  const type = noisy ? pick(random, a.streetType) : a.streetType[0]!;
  const street = noisy && chance(random, 0.1) ? typo(random, a.street) : a.street;
  const postcode = noisy && chance(random, 0.3) ? '' : `${a.postcode} `;
  return chance(random, 0.5)
    ? `${a.number} ${street} ${type}, ${postcode}${a.city}`
    : `${street} ${type} ${a.number}, ${postcode}${a.city}`;
}

function romanization(random: Random, form: NameForm, noisy: boolean): string {
  return noisy ? pick(random, form.latin) : form.latin[0]!;
}

function drawPerson(random: Random): PersonParty {
  const region = drawRegion(random);
  const female = chance(random, 0.35);
  const given = drawName(random, region, female ? 1 : 0);
  let middle: NameForm | null = null;
  if (region.middle === 'patronymic' && chance(random, 0.5)) {
    const father = drawName(random, region, 0);
    const [l, c] = SLAVIC_PATRONYMIC;
    const stem = father.latin[0]!.replace(/[aiy]$/, '');
    middle = {
      latin: [stem + (female ? 'ovna' : l)],
      ...(father.native ? { native: father.native.replace(/[йяа]$/, '') + (female ? 'овна' : c) } : {}),
    };
  } else if (region.middle === 'father' && chance(random, 0.5)) middle = drawName(random, region, 0);
  else if (region.id === 'european' && chance(random, 0.2)) middle = drawName(random, region, female ? 1 : 0);
  const surname = drawName(random, region, 2);
  const surname2 = region.doubleSurname && chance(random, 0.8) ? drawName(random, region, 2) : null;
  const nationality = pick(random, region.countries);
  const latinGiven = given.latin[0]!;
  const latinSurname = surname.latin[0]!;
  return {
    type: 'person',
    region,
    female,
    given,
    middle,
    surname,
    surname2,
    birth: chance(random, 0.85) ? drawDate(random, 1950, 2004) : null,
    nationality,
    passport: chance(random, 0.35) ? passportOf(random) : null,
    idNumber: chance(random, 0.1) ? digits(random, int(random, 8, 11)) : null,
    phone: chance(random, 0.35) ? phoneOf(random, nationality) : null,
    email: chance(random, 0.2)
      ? `${stripAccents(latinGiven).toLowerCase()}.${stripAccents(latinSurname)
          .toLowerCase()
          .replace(
            /[^a-z]/g,
            '',
          )}${chance(random, 0.5) ? int(random, 1, 99) : ''}@${pick(random, ['gmail.com', 'yahoo.com', 'outlook.com', 'mail.ru', 'proton.me', 'hotmail.fr'])}`
      : null,
    address: chance(random, 0.15) ? drawAddress(random) : null,
  };
}

function brandWord(random: Random, region: Region): NameForm {
  // Mostly invented words (rare), sometimes a surname of the region (shared by homonyms).
  if (chance(random, 0.35)) return drawName(random, region, 2);
  const rank = zipfRank(random, 300_000, 0.7);
  const r = seededRandom(hashSeed(99, REGIONS.indexOf(region), rank));
  const syl = [...EUROPEAN.syllables, ...region.syllables];
  let w = '';
  for (let i = 0; i < int(r, 2, 3); i++) w += pick(r, syl)[0];
  return { latin: [capitalize(w)] };
}

function drawCompany(random: Random): CompanyParty {
  const region = drawRegion(random);
  const jurisdiction = chance(random, 0.2)
    ? pick(random, ['AE', 'GB', 'CY', 'PA', 'VG'])
    : pick(random, region.countries);
  const words = [brandWord(random, region)];
  if (chance(random, 0.2)) words.push(brandWord(random, region));
  const generic: string[] = [];
  for (let i = 0, n = int(random, 0, 2); i < n; i++)
    generic.push(GENERIC_WORDS[zipfRank(random, GENERIC_WORDS.length, 1)]!);
  const forms = LEGAL_FORMS[jurisdiction] ?? LEGAL_FORMS.default!;
  return {
    type: 'company',
    region,
    words,
    generic: [...new Set(generic)],
    legalForm: pick(random, forms),
    jurisdiction,
    registration: chance(random, 0.5)
      ? (chance(random, 0.3) ? letters(random, 2) : '') + digits(random, int(random, 6, 9))
      : null,
    incorporation: chance(random, 0.3) ? drawDate(random, 1990, 2025) : null,
    phone: chance(random, 0.4) ? phoneOf(random, jurisdiction) : null,
    // The domain is the company's own: two companies sharing a brand word do not share a mailbox.
    email: chance(random, 0.3)
      ? `${pick(random, ['info', 'office', 'contact', 'sales'])}@${stripAccents(
          [...words.map((w) => w.latin[0]!), ...generic.slice(0, 1)].join(''),
        )
          .toLowerCase()
          .replace(
            /[^a-z]/g,
            '',
          )}${chance(random, 0.5) ? '' : digits(random, 3)}.${pick(random, ['com', 'net', 'ae', 'co.uk'])}`
      : null,
    address: chance(random, 0.4) ? drawAddress(random) : null,
  };
}

function drawAccount(random: Random): AccountParty {
  const country = pick(random, ['DE', 'GB', 'NL', 'AE', 'DE', 'GB']);
  return {
    type: 'account',
    iban: ibanOf(random, country),
    bank: `${pick(random, ['First', 'United', 'National', 'Commercial', 'Gulf', 'Atlantic'])} ${pick(random, ['Bank', 'Bank', 'Banking Corporation'])}`,
    country,
  };
}

/** How one record of a person reads: the party, the owner's habits, and (for later records) errors. */
function personRecord(
  random: Random,
  p: PersonParty,
  ownerCountry: string,
  noisy: boolean,
): Record<string, string[]> {
  const native =
    p.region.nativeShare > 0 && chance(random, p.region.nativeShare) && p.given.native && p.surname.native;
  const spell = (form: NameForm): string => {
    if (native && form.native) return form.native;
    let s = romanization(random, form, noisy);
    if (noisy && chance(random, 0.15)) s = stripAccents(s);
    return s;
  };
  let given = spell(p.given);
  let surname = spell(p.surname);
  let middle = p.middle && !(noisy && chance(random, 0.4)) ? spell(p.middle) : null;
  const surname2 = p.surname2 && !(noisy && chance(random, 0.35)) ? spell(p.surname2) : null;
  if (noisy && !native && chance(random, 0.3)) {
    const r = random();
    if (r < 0.45) surname = typo(random, surname);
    else if (r < 0.8) given = typo(random, given);
    else if (middle) middle = typo(random, middle);
  }
  const family = surname2 ? `${surname} ${surname2}` : surname;
  const fore = middle ? `${given} ${middle}` : given;
  const order = random();
  let name: string;
  if (p.region.surnameFirst) name = order < 0.6 ? `${family} ${fore}` : `${fore} ${family}`;
  else if (order < 0.65) name = `${fore} ${family}`;
  else if (order < 0.8) name = `${family.toUpperCase()} ${fore}`;
  else if (order < 0.92) name = `${family}, ${fore}`;
  else name = `${fore} ${family}`.toUpperCase();
  const props: Record<string, string[]> = { name: [name] };
  const keep = (p0: number) => !noisy || chance(random, p0);
  if (p.birth && keep(0.8)) {
    let { year, month, day } = p.birth;
    const r = noisy ? random() : 1;
    if (r < 0.04) [month, day] = day <= 12 ? [day, month] : [month, day];
    else if (r < 0.08) day = day < 28 ? day + 1 : day - 1;
    else if (r < 0.1) year += random() < 0.5 ? 1 : -1;
    const precision = noisy ? random() : 1;
    props.birthDate = [
      precision < 0.1
        ? String(year)
        : precision < 0.17
          ? `${year}-${pad2(month)}`
          : `${year}-${pad2(month)}-${pad2(day)}`,
    ];
  }
  if (keep(0.85))
    props.nationality = [noisy && chance(random, 0.3) ? p.nationality.toLowerCase() : p.nationality];
  if (p.passport && keep(0.6))
    props.passportNumber = [noisy ? formatDocument(random, p.passport, p.nationality) : p.passport];
  if (p.idNumber && keep(0.5)) props.idNumber = [p.idNumber];
  if (p.phone && keep(0.55)) props.phone = [formatPhone(random, p.phone, ownerCountry)];
  if (p.email && keep(0.5)) props.email = [noisy && chance(random, 0.3) ? p.email.toUpperCase() : p.email];
  if (p.address && keep(0.5)) props.address = [formatAddress(random, p.address, noisy)];
  if (!noisy && chance(random, 0.03)) props.gender = [p.female ? 'female' : 'male'];
  return props;
}

function companyRecord(
  random: Random,
  c: CompanyParty,
  ownerCountry: string,
  noisy: boolean,
): Record<string, string[]> {
  const native = c.region.id === 'slavic' && noisy && chance(random, 0.2) && c.words.every((w) => w.native);
  const words = c.words.map((w) => (native ? w.native! : romanization(random, w, noisy)));
  if (noisy && !native && chance(random, 0.25)) {
    const i = Math.floor(random() * words.length);
    words[i] = typo(random, words[i]!);
  }
  const generic = noisy ? c.generic.filter(() => !chance(random, 0.25)) : c.generic;
  const legal = noisy ? (chance(random, 0.2) ? '' : pick(random, c.legalForm)) : c.legalForm[0]!;
  let name = [...words, ...generic, legal].filter((s) => s !== '').join(' ');
  if (noisy && chance(random, 0.15)) name = name.toUpperCase();
  if (c.region.id === 'arabic' && chance(random, 0.3)) name = `Al ${name}`;
  const props: Record<string, string[]> = { name: [name] };
  const keep = (p0: number) => !noisy || chance(random, p0);
  if (keep(0.85)) props.jurisdiction = [c.jurisdiction];
  if (c.registration && keep(0.6)) {
    const reg = noisy && chance(random, 0.3) ? `00${c.registration}` : c.registration;
    props.registrationNumber = [noisy ? formatDocument(random, reg, c.jurisdiction) : reg];
  }
  if (c.incorporation && keep(0.6)) {
    const d = c.incorporation;
    props.incorporationDate = [`${d.year}-${pad2(d.month)}-${pad2(d.day)}`];
  }
  if (c.phone && keep(0.55)) props.phone = [formatPhone(random, c.phone, ownerCountry)];
  if (c.email && keep(0.5)) props.email = [c.email];
  if (c.address && keep(0.6)) props.address = [formatAddress(random, c.address, noisy)];
  return props;
}

function accountRecord(random: Random, a: AccountParty, noisy: boolean): Record<string, string[]> {
  const props: Record<string, string[]> = {
    [chance(random, 0.8) ? 'iban' : 'accountNumber']: [noisy ? formatIban(random, a.iban) : a.iban],
  };
  if (!noisy || chance(random, 0.7)) props.bankName = [a.bank];
  if (!noisy || chance(random, 0.7)) props.country = [a.country];
  return props;
}

// A binary min-heap of pending records by due position.
interface Pending {
  due: number;
  seq: number;
  party: Party;
  organization: number;
  cluster: number;
  size: number;
  /** The party's first record: written as its owner keeps it, without added errors. */
  first: boolean;
}

function heapPush(h: Pending[], x: Pending): void {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (before(h[parent]!, h[i]!)) break;
    [h[parent], h[i]] = [h[i]!, h[parent]!];
    i = parent;
  }
}

function heapPop(h: Pending[]): Pending | undefined {
  const top = h[0];
  const last = h.pop();
  if (h.length > 0 && last) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
  return top;
}

function before(a: Pending, b: Pending): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/**
 * The stream of synthetic entities. Same options, same stream. Parties are 60 % persons, 32 %
 * companies and 8 % bank accounts; `duplicateRate` of them are recorded by 2 (70 %), 3 (20 %) or
 * 4 (10 %) distinct organizations, the later records with errors and format differences.
 */
export function* syntheticEntities(options: SyntheticOptions): Generator<SyntheticEntity> {
  const organizations = options.organizations ?? DEFAULT_ORGANIZATIONS;
  if (organizations.length < 2)
    throw new Error('At least two organizations are needed for duplicates across them');
  const random = seededRandom(options.seed ?? 1);
  const duplicateRate = options.duplicateRate ?? 0.1;
  const window = Math.max(1, options.window ?? 20_000);
  const pending: Pending[] = [];
  let cluster = 0;
  let seq = 0;
  for (let index = 0; index < options.n; index++) {
    let next: Pending;
    if (pending.length > 0 && pending[0]!.due <= index) next = heapPop(pending)!;
    else {
      const r = random();
      const party = r < 0.6 ? drawPerson(random) : r < 0.92 ? drawCompany(random) : drawAccount(random);
      const u = random();
      const size = chance(random, duplicateRate) ? (u < 0.7 ? 2 : u < 0.9 ? 3 : 4) : 1;
      const orgs = new Set<number>();
      while (orgs.size < Math.min(size, organizations.length))
        orgs.add(Math.floor(random() * organizations.length));
      const [first, ...others] = [...orgs];
      for (const org of others) {
        const due = index + 1 + Math.floor(random() * window);
        heapPush(pending, { due, seq: seq++, party, organization: org, cluster, size, first: false });
      }
      next = { due: index, seq: seq++, party, organization: first!, cluster, size, first: true };
      cluster++;
    }
    const noisy = !next.first;
    const owner = organizations[next.organization]!;
    const party = next.party;
    let schema: SyntheticEntity['schema'];
    let properties: Record<string, string[]>;
    if (party.type === 'person') {
      schema = 'Person';
      properties = personRecord(random, party, owner.country, noisy);
    } else if (party.type === 'company') {
      schema = 'Company';
      properties = companyRecord(random, party, owner.country, noisy);
    } else {
      schema = 'BankAccount';
      properties = accountRecord(random, party, noisy);
    }
    yield {
      index,
      id: `syn-${index}`,
      schema,
      properties,
      organization: next.organization,
      cluster: next.cluster,
      clusterSize: next.size,
    };
  }
}

/**
 * The true pairs among the given entities: positions (`index`) of records of the same party held
 * by different organizations, each pair once with the lower position first.
 */
export function truthPairs(
  entities: Iterable<Pick<SyntheticEntity, 'index' | 'cluster' | 'organization' | 'clusterSize'>>,
): [number, number][] {
  const byCluster = new Map<number, { index: number; organization: number }[]>();
  for (const e of entities) {
    if (e.clusterSize < 2) continue;
    const list = byCluster.get(e.cluster);
    if (list) list.push(e);
    else byCluster.set(e.cluster, [e]);
  }
  const out: [number, number][] = [];
  for (const list of byCluster.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        if (a.organization === b.organization) continue;
        out.push(a.index < b.index ? [a.index, b.index] : [b.index, a.index]);
      }
    }
  }
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}
