import type {
  CrimeArea,
  EvaluationScheme,
  HandlingCode,
  Purpose,
  SubjectCategory,
  TlpLabel,
} from '../../domain/vocabulary.js';
import { EVALUATION_GRADES } from '../../domain/vocabulary.js';
import type { FtmProperties } from '../../platform/db/schema.js';
import type { DemoOrgKey } from './demo.organizations.js';
import {
  CITIES,
  COMPANY_ACTIVITIES,
  COMPANY_STEMS,
  EXCHANGES,
  LEGAL_FORMS,
  NAME_CULTURES,
  type NameCulture,
  ONLINE_SERVICES,
  VESSEL_FLAGS,
  VESSEL_NAMES,
  VESSEL_TYPES,
} from './demo.people.js';
import {
  chars,
  digits,
  groupIban,
  IBAN_COUNTRIES,
  imoCheckDigit,
  intBetween,
  makeBtcAddress,
  makeEthAddress,
  makeIban,
  makeImo,
  makeTronAddress,
  mulberry32,
  pick,
  type Rng,
  sample,
  stripAccents,
  weighted,
} from './demo.random.js';

/** One demo record before it becomes a row: FtM properties plus handling, evaluation and scope. */
export interface DemoRecord {
  id: string;
  owner: DemoOrgKey;
  schema: string;
  properties: FtmProperties;
  tlp: TlpLabel;
  codes: HandlingCode[];
  h3Text: string | null;
  evaluation: { scheme: EvaluationScheme; source: string; information: string };
  crimeAreas: CrimeArea[];
  purposes: Purpose[];
  subjectCategory: SubjectCategory | null;
  recipients: DemoOrgKey[];
  retractedReason: string | null;
  /** Day offset of creation from the load moment (negative: in the past). */
  createdDay: number;
  externalId: string;
}

interface RecordOptions {
  tlp?: TlpLabel;
  codes?: HandlingCode[];
  h3?: string;
  grade?: [string, string];
  scheme?: EvaluationScheme;
  crimeAreas?: CrimeArea[];
  purposes?: Purpose[];
  subject?: SubjectCategory | null;
  recipients?: DemoOrgKey[];
  retracted?: string;
  day?: number;
}

/** Per-owner defaults: the scheme the agency grades with and its usual scope. */
const OWNER_DEFAULTS: Record<
  DemoOrgKey,
  { scheme: EvaluationScheme; crimeAreas: CrimeArea[]; purposes: Purpose[]; prefix: string }
> = {
  meridian: {
    scheme: 'eu4x4',
    crimeAreas: ['drug_trafficking'],
    purposes: ['strategic_analysis'],
    prefix: 'MPCO',
  },
  acacia: {
    scheme: 'eu4x4',
    crimeAreas: ['environmental_crime'],
    purposes: ['strategic_analysis'],
    prefix: 'ARPCB',
  },
  monsoon: {
    scheme: 'eu4x4',
    crimeAreas: ['trafficking_in_persons'],
    purposes: ['prevention'],
    prefix: 'MCPC',
  },
  condor: {
    scheme: 'eu4x4',
    crimeAreas: ['drug_trafficking'],
    purposes: ['strategic_analysis'],
    prefix: 'CND',
  },
  kestrel: {
    scheme: 'eu4x4',
    crimeAreas: ['drug_trafficking', 'maritime_crime'],
    purposes: ['criminal_investigation'],
    prefix: 'KBI',
  },
  protea: {
    scheme: 'nato6x6',
    crimeAreas: ['drug_trafficking', 'maritime_crime'],
    purposes: ['border_control', 'criminal_investigation'],
    prefix: 'PRCS',
  },
  harmattan: {
    scheme: 'eu4x4',
    crimeAreas: ['money_laundering'],
    purposes: ['criminal_investigation', 'asset_recovery'],
    prefix: 'HFIU',
  },
  guayas: {
    scheme: 'nato6x6',
    crimeAreas: ['drug_trafficking', 'maritime_crime'],
    purposes: ['border_control', 'criminal_investigation'],
    prefix: 'GMCD',
  },
  magdalena: {
    scheme: 'eu4x4',
    crimeAreas: ['drug_trafficking', 'money_laundering'],
    purposes: ['criminal_investigation'],
    prefix: 'MJPD',
  },
  isthmus: {
    scheme: 'eu4x4',
    crimeAreas: ['money_laundering'],
    purposes: ['criminal_investigation', 'asset_recovery'],
    prefix: 'IFAU',
  },
  chaophraya: {
    scheme: 'nato6x6',
    crimeAreas: ['environmental_crime'],
    purposes: ['criminal_investigation'],
    prefix: 'CPCSB',
  },
  selat: {
    scheme: 'eu4x4',
    crimeAreas: ['money_laundering', 'illicit_financial_flows'],
    purposes: ['criminal_investigation', 'strategic_analysis'],
    prefix: 'SFIC',
  },
  safeharbour: {
    scheme: 'eu4x4',
    crimeAreas: ['trafficking_in_persons'],
    purposes: ['victim_protection'],
    prefix: 'SHSN',
  },
  equinox: {
    scheme: 'nato6x6',
    crimeAreas: ['money_laundering'],
    purposes: ['prevention'],
    prefix: 'ECB-SAR',
  },
};

/** Collects records and hands out ids, so story records can reference each other (holder, owner …). */
class RecordBook {
  readonly records: DemoRecord[] = [];
  private readonly seq = new Map<DemoOrgKey, number>();
  constructor(private readonly newId: () => string) {}

  add(owner: DemoOrgKey, schema: string, properties: FtmProperties, o: RecordOptions = {}): string {
    const d = OWNER_DEFAULTS[owner];
    const id = this.newId();
    const n = (this.seq.get(owner) ?? 0) + 1;
    this.seq.set(owner, n);
    const scheme = o.scheme ?? d.scheme;
    const grade = o.grade ?? ['B', '2'];
    this.records.push({
      id,
      owner,
      schema,
      properties,
      tlp: o.tlp ?? 'TLP:AMBER',
      codes: o.codes ?? (o.h3 ? ['H0', 'H3'] : ['H0']),
      h3Text: o.h3 ?? null,
      evaluation: { scheme, source: grade[0], information: grade[1] },
      crimeAreas: o.crimeAreas ?? d.crimeAreas,
      purposes: o.purposes ?? d.purposes,
      subjectCategory: o.subject !== undefined ? o.subject : schema === 'Person' ? 'suspect' : null,
      recipients: o.recipients ?? [],
      retractedReason: o.retracted ?? null,
      createdDay: o.day ?? -30,
      externalId: `${d.prefix}-${String(n).padStart(4, '0')}`,
    });
    return id;
  }
}

/**
 * The whole record set: the hand-written story (cocaine through Guayaquil and Mombasa, a laundering
 * ring of shell companies and crypto wallets, a wildlife-trafficking vessel, survivors of trafficking)
 * and a deterministic bulk generated from name lists around it. `seed` fixes every generated value;
 * only ids come from `newId`.
 */
export function buildDemoRecords(newId: () => string, seed = 20260601): DemoRecord[] {
  const book = new RecordBook(newId);
  // Separate streams so that editing the story does not reshuffle the bulk.
  storyRecords(book, mulberry32(seed));
  sharedOverlaps(book, mulberry32(seed + 1));
  bulkRecords(book, mulberry32(seed + 2));
  return book.records;
}

// ─── The story ──────────────────────────────────────────────────────────────────────────────────

function storyRecords(book: RecordBook, rng: Rng): void {
  cocaineRoute(book, rng);
  launderingRing(book, rng);
  wildlifeVessel(book, rng);
  survivors(book);
  typologies(book);
}

/** TIDEWATER: cocaine in banana reefers from Guayaquil to Mombasa, brokered from Cali. */
function cocaineRoute(book: RecordBook, rng: Rng): void {
  const saldanaPhone = '+573105550142';
  const lanternImo = makeImo(rng);

  const saldanaMj = book.add(
    'magdalena',
    'Person',
    {
      name: ['Héctor Julián Saldaña Ríos'],
      firstName: ['Héctor Julián'],
      lastName: ['Saldaña Ríos'],
      alias: ['El Químico'],
      birthDate: ['1974-03-18'],
      birthPlace: ['Cali'],
      nationality: ['co'],
      gender: ['male'],
      phone: ['+57 310 555 0142'],
      passportNumber: ['AR447190'],
      notes: [
        'Broker for the cocaine consignments; negotiates with buyers in East Africa through intermediaries.',
      ],
    },
    {
      tlp: 'TLP:AMBER',
      codes: ['H0', 'H2'],
      grade: ['A', '2'],
      crimeAreas: ['drug_trafficking', 'money_laundering'],
      purposes: ['criminal_investigation', 'asset_recovery'],
      day: -210,
    },
  );
  book.add(
    'magdalena',
    'Passport',
    {
      holder: [saldanaMj],
      number: ['AR447190'],
      country: ['co'],
      surname: ['Saldaña Ríos'],
      givenName: ['Héctor Julián'],
      birthDate: ['1974-03-18'],
      startDate: ['2019-07-02'],
      endDate: ['2029-07-01'],
      authority: ['Cancillería, Bogotá'],
    },
    { crimeAreas: ['drug_trafficking'], purposes: ['criminal_investigation'], grade: ['A', '1'], day: -208 },
  );
  book.add(
    'guayas',
    'Person',
    {
      name: ['Hector Julian Saldana Rios'],
      birthDate: ['1974-03-18'],
      nationality: ['co'],
      phone: [saldanaPhone],
      notes: ['Listed as commercial contact of the banana exporter in three bills of lading.'],
    },
    { tlp: 'TLP:AMBER', grade: ['B', '2'], crimeAreas: ['drug_trafficking', 'maritime_crime'], day: -150 },
  );
  book.add(
    'kestrel',
    'Person',
    {
      name: ['SALDANA, Hector'],
      birthDate: ['1974'],
      nationality: ['co'],
      phone: ['+57 3105550142'],
    },
    {
      tlp: 'TLP:AMBER+STRICT',
      codes: ['H0', 'H1'],
      grade: ['C', '3'],
      crimeAreas: ['drug_trafficking'],
      day: -95,
    },
  );
  book.add(
    'kestrel',
    'UserAccount',
    {
      username: ['capitan_lantern'],
      service: ['Telegram'],
      phone: ['+57 310 555 0142'],
      notes: ['Account used to give container numbers to the Mombasa clearing agent.'],
    },
    { tlp: 'TLP:AMBER', codes: ['H0', 'H2'], grade: ['B', '3'], crimeAreas: ['drug_trafficking'], day: -90 },
  );

  book.add(
    'guayas',
    'Company',
    {
      name: ['Bluewater Reefer Logistics S.A.'],
      jurisdiction: ['ec'],
      registrationNumber: ['0992765431001'],
      incorporationDate: ['2019-06-04'],
      address: ['Av. Malecón Simón Bolívar 1402, Guayaquil'],
      sector: ['Export of fresh bananas'],
    },
    { tlp: 'TLP:GREEN', grade: ['A', '1'], crimeAreas: ['drug_trafficking', 'maritime_crime'], day: -160 },
  );
  book.add(
    'kestrel',
    'Company',
    {
      name: ['Blue Water Reefer Logistics SA'],
      jurisdiction: ['ec'],
      registrationNumber: ['0992765431001'],
      notes: ['Shipper on the 2 reefer containers seized at Kilindi with 412 kg of cocaine.'],
    },
    { tlp: 'TLP:AMBER', grade: ['A', '1'], crimeAreas: ['drug_trafficking', 'maritime_crime'], day: -100 },
  );
  const bluewaterIf = book.add(
    'isthmus',
    'Company',
    {
      name: ['BLUEWATER REEFER LOGISTICS, S.A.'],
      country: ['ec'],
      registrationNumber: ['0992765431001'],
    },
    {
      tlp: 'TLP:AMBER',
      grade: ['B', '2'],
      crimeAreas: ['money_laundering', 'drug_trafficking'],
      purposes: ['criminal_investigation', 'asset_recovery'],
      day: -80,
    },
  );
  book.add(
    'guayas',
    'Address',
    {
      full: ['Bodega 14, Km 6.5 Vía a Daule, Guayaquil'],
      city: ['Guayaquil'],
      country: ['ec'],
      remarks: ['Packing warehouse where the containers were stuffed.'],
    },
    { tlp: 'TLP:AMBER', grade: ['B', '2'], day: -140 },
  );

  book.add(
    'guayas',
    'Vessel',
    {
      name: ['Ocean Lantern'],
      imoNumber: [`IMO${lanternImo}`],
      flag: ['pa'],
      type: ['Refrigerated cargo'],
      mmsi: ['352001234'],
      callSign: ['3EXY7'],
      buildDate: ['2004'],
    },
    { tlp: 'TLP:GREEN', grade: ['A', '1'], crimeAreas: ['drug_trafficking', 'maritime_crime'], day: -155 },
  );
  book.add(
    'kestrel',
    'Vessel',
    { name: ['MV OCEAN LANTERN'], imoNumber: [lanternImo], flag: ['pa'] },
    { tlp: 'TLP:AMBER', grade: ['A', '1'], crimeAreas: ['maritime_crime', 'drug_trafficking'], day: -99 },
  );
  book.add(
    'protea',
    'Vessel',
    {
      name: ['M/V Ocean Lantern'],
      imoNumber: [`IMO ${lanternImo}`],
      flag: ['pa'],
      notes: ['Called at Durban 11 days before Mombasa; no inspection.'],
    },
    {
      tlp: 'TLP:GREEN',
      grade: ['B', '2'],
      crimeAreas: ['maritime_crime', 'drug_trafficking'],
      purposes: ['border_control'],
      day: -70,
    },
  );

  const mutua = book.add(
    'kestrel',
    'Person',
    {
      name: ['Daniel Kiprono Mutua'],
      firstName: ['Daniel'],
      lastName: ['Mutua'],
      birthDate: ['1981-11-02'],
      nationality: ['ke'],
      phone: ['+254 722 418 390'],
      idNumber: ['27845119'],
      profession: ['Clearing and forwarding agent'],
    },
    { tlp: 'TLP:AMBER', codes: ['H0', 'H2'], grade: ['B', '2'], day: -98 },
  );
  const kilindi = book.add(
    'kestrel',
    'Company',
    {
      name: ['Kilindi Clearing & Forwarding Limited'],
      jurisdiction: ['ke'],
      registrationNumber: ['PVT-7LUQ2XK'],
      address: ['Moi Avenue, Mombasa'],
    },
    { tlp: 'TLP:AMBER', grade: ['B', '2'], day: -97 },
  );
  book.add(
    'kestrel',
    'Directorship',
    { director: [mutua], organization: [kilindi], role: ['Director'], startDate: ['2017-03'] },
    { tlp: 'TLP:AMBER', grade: ['A', '1'], day: -97 },
  );
  book.add(
    'protea',
    'Person',
    { name: ['Daniel K. Mutua'], nationality: ['ke'], phone: ['+254722418390'] },
    { tlp: 'TLP:AMBER', grade: ['C', '3'], day: -60 },
  );

  book.add(
    'guayas',
    'Person',
    {
      name: ['Wilmer Quiñónez Bravo'],
      birthDate: ['1990-01-25'],
      nationality: ['ec'],
      profession: ['Port crane operator'],
      phone: ['+593 98 411 2763'],
    },
    { tlp: 'TLP:AMBER', grade: ['B', '3'], crimeAreas: ['drug_trafficking', 'maritime_crime'], day: -120 },
  );
  book.add(
    'kestrel',
    'Person',
    { name: ['Wilmer Quinonez'], nationality: ['ec'], phone: ['+593984112763'] },
    { tlp: 'TLP:AMBER', grade: ['C', '4'], day: -85 },
  );
  // The courier an informant named: RED, for the two partners running the controlled delivery.
  book.add(
    'magdalena',
    'Person',
    {
      name: ['Yeison Andrés Mosquera'],
      birthDate: ['1996'],
      nationality: ['co'],
      notes: ['Expected to travel to Mombasa to supervise the next consignment.'],
    },
    {
      tlp: 'TLP:RED',
      codes: ['H0', 'H1', 'H3'],
      h3: 'Controlled delivery in preparation: no action against this person without the consent of MJPD.',
      grade: ['B', '2'],
      recipients: ['kestrel', 'guayas'],
      day: -20,
    },
  );
  book.add(
    'magdalena',
    'Person',
    {
      name: ['Luz Marina Ortíz'],
      nationality: ['co'],
      notes: ['Dock clerk who reported the tampered container seals.'],
    },
    {
      tlp: 'TLP:RED',
      subject: 'witness',
      grade: ['A', '2'],
      recipients: ['guayas'],
      crimeAreas: ['drug_trafficking'],
      day: -45,
    },
  );
  // A wrong link, retracted by its owner: shows retraction in the record history.
  book.add(
    'guayas',
    'Vessel',
    { name: ['Rio Esmeralda'], flag: ['ec'], type: ['Fishing vessel'] },
    {
      tlp: 'TLP:GREEN',
      grade: ['C', '4'],
      retracted: 'Wrongly linked to the Bluewater consignments: the vessel was in dry dock at the time.',
      day: -140,
    },
  );

  linkOwnership(book, bluewaterIf);
}

/** Corvina Holdings (Panama) owns the banana exporter: how the proceeds come home. */
function linkOwnership(book: RecordBook, bluewaterIf: string): void {
  const corvina = book.add(
    'isthmus',
    'Company',
    {
      name: ['Corvina Holdings Inc.'],
      jurisdiction: ['pa'],
      registrationNumber: ['155667788'],
      incorporationDate: ['2018-02-14'],
      address: ['Calle 50, Torre Global, Piso 22, Panamá'],
    },
    {
      tlp: 'TLP:AMBER',
      grade: ['A', '2'],
      crimeAreas: ['money_laundering', 'drug_trafficking'],
      purposes: ['criminal_investigation', 'asset_recovery'],
      day: -82,
    },
  );
  book.add(
    'isthmus',
    'Ownership',
    { owner: [corvina], asset: [bluewaterIf], percentage: ['100'], startDate: ['2019-06'] },
    {
      tlp: 'TLP:AMBER',
      grade: ['A', '1'],
      crimeAreas: ['money_laundering', 'drug_trafficking'],
      purposes: ['criminal_investigation', 'asset_recovery'],
      day: -81,
    },
  );
}

/** The Volkov ring: Corvina, Tranquil Peak and Lagoon Gate move money through Dubai, Cyprus and crypto. */
function launderingRing(book: RecordBook, rng: Rng): void {
  const fiu = { crimeAreas: ['money_laundering', 'illicit_financial_flows'] as CrimeArea[] };
  const corvinaIban = makeIban(rng, 'ae');
  const tranquilIban = makeIban(rng, 'cy');
  const btc = makeBtcAddress(rng);
  const eth = makeEthAddress(rng);
  const tron = makeTronAddress(rng);

  const volkovSf = book.add(
    'selat',
    'Person',
    {
      name: ['Адриан Волков'],
      alias: ['Adrian Volkov'],
      birthDate: ['1979-08-30'],
      nationality: ['ru'],
      phone: ['+7 916 204 3381'],
      passportNumber: ['753918462'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -75 },
  );
  const volkovIf = book.add(
    'isthmus',
    'Person',
    {
      name: ['Adrian Volkoff'],
      birthDate: ['1979-08-30'],
      nationality: ['ru'],
      phone: ['+79162043381'],
      notes: ['Beneficial owner of Corvina Holdings declared at account opening.'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '2'], day: -79 },
  );
  book.add(
    'harmattan',
    'Person',
    { name: ['VOLKOV Adrian'], birthDate: ['1979'], nationality: ['ru'] },
    { ...fiu, tlp: 'TLP:GREEN', grade: ['C', '3'], day: -40 },
  );

  book.add(
    'selat',
    'Company',
    { name: ['Corvina Holdings Incorporated'], jurisdiction: ['pa'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -74 },
  );
  book.add(
    'equinox',
    'Company',
    { name: ['CORVINA HOLDINGS INC'], jurisdiction: ['pa'], registrationNumber: ['155667788'] },
    {
      tlp: 'TLP:AMBER',
      grade: ['A', '1'],
      crimeAreas: ['money_laundering'],
      purposes: ['prevention'],
      day: -200,
    },
  );
  book.add(
    'equinox',
    'BankAccount',
    {
      accountNumber: ['04-77-201-883412'],
      bankName: ['Equinox Commercial Bank'],
      country: ['pa'],
      currency: ['USD'],
      openingDate: ['2018-03-01'],
      notes: ['Account of Corvina Holdings Inc.; 41 incoming wires from Dubai in 9 months.'],
    },
    { tlp: 'TLP:AMBER', grade: ['A', '1'], purposes: ['prevention'], day: -200 },
  );
  book.add(
    'isthmus',
    'BankAccount',
    {
      accountNumber: ['0477201883412'],
      bankName: ['Equinox Commercial Bank'],
      country: ['pa'],
      currency: ['USD'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '1'], day: -78 },
  );

  book.add(
    'isthmus',
    'BankAccount',
    { iban: [corvinaIban], bankName: ['Dunehaven Bank PJSC'], country: ['ae'], currency: ['AED'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -77 },
  );
  book.add(
    'harmattan',
    'BankAccount',
    { iban: [groupIban(corvinaIban)], bankName: ['Dunehaven Bank'], country: ['ae'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '3'], day: -39 },
  );
  book.add(
    'selat',
    'BankAccount',
    { iban: [corvinaIban.toLowerCase()], country: ['ae'] },
    { ...fiu, tlp: 'TLP:AMBER+STRICT', codes: ['H0', 'H2'], grade: ['B', '2'], day: -70 },
  );

  const tranquil = book.add(
    'selat',
    'Company',
    {
      name: ['Tranquil Peak Trading Sdn. Bhd.'],
      jurisdiction: ['my'],
      registrationNumber: ['201901023456'],
      address: ['Jalan Pelabuhan Utara, Port Klang'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '1'], day: -73 },
  );
  book.add(
    'harmattan',
    'Company',
    { name: ['Tranquil Peak Trading SDN BHD'], jurisdiction: ['my'], registrationNumber: ['201901023456'] },
    { ...fiu, tlp: 'TLP:GREEN', grade: ['B', '2'], day: -38 },
  );
  book.add(
    'selat',
    'BankAccount',
    { iban: [tranquilIban], bankName: ['Limassol Mercantile Bank'], country: ['cy'], currency: ['EUR'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -72 },
  );
  book.add(
    'harmattan',
    'BankAccount',
    { iban: [groupIban(tranquilIban)], country: ['cy'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '3'], day: -37 },
  );

  const chen = book.add(
    'selat',
    'Person',
    {
      name: ['陈志明'],
      alias: ['Chen Zhiming', 'Tan Chee Meng'],
      birthDate: ['1971-12-09'],
      nationality: ['my'],
      phone: ['+60 12 688 4410'],
      position: ['Director, Tranquil Peak Trading Sdn. Bhd.'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '2'], day: -71 },
  );
  book.add(
    'selat',
    'Directorship',
    { director: [chen], organization: [tranquil], role: ['Director'], startDate: ['2019-05-20'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '1'], day: -71 },
  );
  book.add(
    'harmattan',
    'Person',
    { name: ['Chen Zhi Ming'], nationality: ['my'], phone: ['+60126884410'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['C', '3'], day: -36 },
  );

  book.add(
    'harmattan',
    'Company',
    {
      name: ['Lagoon Gate Ventures Ltd'],
      jurisdiction: ['ng'],
      registrationNumber: ['RC 1587342'],
      address: ['14 Adeola Odeku Street, Victoria Island, Lagos'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '2'], day: -50 },
  );
  book.add(
    'isthmus',
    'Company',
    { name: ['Lagoon-Gate Ventures Limited'], jurisdiction: ['ng'] },
    { ...fiu, tlp: 'TLP:GREEN', grade: ['B', '3'], day: -48 },
  );
  book.add(
    'harmattan',
    'Person',
    {
      name: ['Chukwuemeka Obi-Adeyemi'],
      birthDate: ['1985-04-17'],
      nationality: ['ng'],
      phone: ['+234 803 555 7781'],
      email: ['c.obiadeyemi@lagoongate.example'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -49 },
  );
  book.add(
    'selat',
    'Person',
    { name: ['Chukwuemeka Obi Adeyemi'], nationality: ['ng'], phone: ['+2348035557781'] },
    { ...fiu, tlp: 'TLP:GREEN', grade: ['C', '3'], day: -33 },
  );

  book.add(
    'isthmus',
    'Person',
    {
      name: ['Khalid Al-Hammadi'],
      nationality: ['ae'],
      birthDate: ['1969-02-11'],
      phone: ['+971 50 318 2245'],
    },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -76 },
  );
  book.add(
    'selat',
    'Person',
    { name: ['خالد الحمادي'], alias: ['Khaled Alhamadi'], nationality: ['ae'], birthDate: ['1969-02-11'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -69 },
  );

  book.add(
    'selat',
    'CryptoWallet',
    { publicKey: [btc], currency: ['BTC'], holder: [volkovSf], managingExchange: ['Coinvault Exchange'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['A', '2'], crimeAreas: ['money_laundering', 'cybercrime'], day: -68 },
  );
  book.add(
    'isthmus',
    'CryptoWallet',
    { publicKey: [btc], currency: ['BTC'], holder: [volkovIf] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -66 },
  );
  book.add(
    'harmattan',
    'CryptoWallet',
    { publicKey: [btc], currency: ['BTC'], summary: ['Receives USDT-to-BTC swaps from Lagos OTC desks.'] },
    { ...fiu, tlp: 'TLP:GREEN', grade: ['B', '3'], crimeAreas: ['money_laundering', 'cybercrime'], day: -35 },
  );
  book.add(
    'isthmus',
    'CryptoWallet',
    { publicKey: [eth], currency: ['ETH'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '3'], day: -65 },
  );
  book.add(
    'selat',
    'CryptoWallet',
    // Same address as Isthmus holds, written with upper-case hex digits.
    { publicKey: [`0x${eth.slice(2).toUpperCase()}`], currency: ['ETH'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['C', '3'], day: -30 },
  );
  book.add(
    'harmattan',
    'CryptoWallet',
    { publicKey: [tron], currency: ['USDT'], managingExchange: ['Lumen OTC Desk'] },
    { ...fiu, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -34 },
  );
  book.add(
    'selat',
    'CryptoWallet',
    { publicKey: [tron], currency: ['USDT'] },
    {
      ...fiu,
      tlp: 'TLP:AMBER',
      grade: ['B', '2'],
      crimeAreas: ['terrorism_financing', 'money_laundering'],
      day: -29,
    },
  );
}

/** The JADE CRESCENT: ivory and pangolin scales from Mombasa to Songkhla, via Durban paperwork. */
function wildlifeVessel(book: RecordBook, rng: Rng): void {
  const env = {
    crimeAreas: ['environmental_crime', 'maritime_crime'] as CrimeArea[],
    purposes: ['criminal_investigation', 'border_control'] as Purpose[],
  };
  const imo = makeImo(rng);
  book.add(
    'protea',
    'Vessel',
    {
      name: ['Jade Crescent'],
      previousName: ['Baraka Star'],
      imoNumber: [`IMO${imo}`],
      flag: ['km'],
      pastFlags: ['tz'],
      type: ['General cargo'],
      buildDate: ['1998'],
      grossRegisteredTonnage: ['4120'],
    },
    { ...env, tlp: 'TLP:GREEN', grade: ['A', '2'], day: -100 },
  );
  book.add(
    'chaophraya',
    'Vessel',
    { name: ['JADE CRESCENT'], imoNumber: [imo], flag: ['km'] },
    { ...env, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -92 },
  );
  book.add(
    'kestrel',
    'Vessel',
    { name: ['MV Jade Crescent'], imoNumber: [`IMO ${imo}`], previousName: ['Baraka Star'], flag: ['km'] },
    {
      ...env,
      tlp: 'TLP:AMBER',
      codes: ['H0', 'H3'],
      h3: 'Do not alert the flag state before the vessel leaves Mombasa.',
      grade: ['B', '3'],
      day: -88,
    },
  );

  book.add(
    'chaophraya',
    'Person',
    {
      name: ['สมชาย ศรีสุข'],
      alias: ['Somchai Srisuk'],
      birthDate: ['1968-05-12'],
      nationality: ['th'],
      phone: ['+66 81 734 2290'],
      notes: ['Consignee of the “dried seafood” containers in Songkhla.'],
    },
    { ...env, crimeAreas: ['environmental_crime'], tlp: 'TLP:AMBER', grade: ['B', '2'], day: -90 },
  );
  book.add(
    'protea',
    'Person',
    { name: ['Somchai Srisook'], nationality: ['th'], phone: ['+66817342290'] },
    { ...env, crimeAreas: ['environmental_crime'], tlp: 'TLP:AMBER', grade: ['C', '3'], day: -64 },
  );

  book.add(
    'protea',
    'Person',
    {
      name: ['Georgios Papadopoulos'],
      nationality: ['cy'],
      birthDate: ['1962-10-03'],
      position: ['Ship manager'],
    },
    { ...env, tlp: 'TLP:GREEN', grade: ['B', '2'], day: -98 },
  );
  book.add(
    'chaophraya',
    'Person',
    { name: ['Γεώργιος Παπαδόπουλος'], alias: ['George Papadopoulos'], nationality: ['cy'] },
    { ...env, tlp: 'TLP:AMBER', grade: ['C', '3'], day: -80 },
  );
  book.add(
    'kestrel',
    'Person',
    { name: ['Papadopoulos, Giorgos'], birthDate: ['1962'], nationality: ['gr'] },
    { ...env, tlp: 'TLP:AMBER', grade: ['C', '4'], day: -75 },
  );
  book.add(
    'protea',
    'Company',
    {
      name: ['Aegean Crescent Shipping Ltd'],
      jurisdiction: ['cy'],
      registrationNumber: ['HE 318442'],
      address: ['Arch. Makariou III 155, Limassol'],
    },
    { ...env, tlp: 'TLP:GREEN', grade: ['A', '1'], day: -97 },
  );
  book.add(
    'kestrel',
    'Company',
    { name: ['Aegean Crescent Shipping Limited'], jurisdiction: ['cy'], registrationNumber: ['HE318442'] },
    { ...env, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -74 },
  );

  book.add(
    'kestrel',
    'Person',
    {
      name: ['عمر بن سعيد'],
      alias: ['Omar Bin Saeed'],
      nationality: ['ke'],
      birthDate: ['1977-07-21'],
      phone: ['+254 733 902 118'],
      notes: ['Exporter of record for the “dried seafood” consignments leaving Mombasa.'],
    },
    { ...env, tlp: 'TLP:AMBER', grade: ['B', '2'], day: -87 },
  );
  book.add(
    'chaophraya',
    'Person',
    { name: ['Omar Bin Said'], nationality: ['ke'], phone: ['+254733902118'] },
    { ...env, tlp: 'TLP:AMBER', grade: ['C', '3'], day: -60 },
  );
}

/** Survivors: restricted data that flows only to named recipients, never under a general agreement. */
function survivors(book: RecordBook): void {
  const tip = {
    crimeAreas: ['trafficking_in_persons'] as CrimeArea[],
    purposes: ['victim_protection'] as Purpose[],
    subject: 'victim' as const,
  };
  const h3 = 'Contact the survivor only through the Safe Harbour case worker; never by phone.';
  const shVictims: [FtmProperties, DemoOrgKey, number][] = [
    [
      { name: ['Amina Wekesa'], nationality: ['ke'], birthDate: ['2003'], gender: ['female'] },
      'kestrel',
      -44,
    ],
    [
      { name: ['Grace Atieno'], nationality: ['ke'], birthDate: ['2001'], gender: ['female'] },
      'kestrel',
      -41,
    ],
    [
      { name: ['มาลัย คำแก้ว'], alias: ['Malai Khamkaew'], nationality: ['th'], gender: ['female'] },
      'chaophraya',
      -35,
    ],
    [{ name: ['Nguyễn Thị Hoa'], nationality: ['vn'], gender: ['female'] }, 'chaophraya', -27],
  ];
  for (const [props, recipient, day] of shVictims) {
    book.add('safeharbour', 'Person', props, {
      ...tip,
      tlp: 'TLP:RED',
      codes: ['H0', 'H1', 'H3'],
      h3,
      grade: ['A', '2'],
      recipients: [recipient],
      day,
    });
  }
  book.add(
    'kestrel',
    'Person',
    {
      name: ['Amina Wekesa'],
      nationality: ['ke'],
      gender: ['female'],
      notes: ['Recovered at a Mombasa guest house.'],
    },
    {
      ...tip,
      tlp: 'TLP:AMBER+STRICT',
      codes: ['H0', 'H2'],
      grade: ['A', '1'],
      recipients: ['safeharbour'],
      day: -46,
    },
  );
  book.add(
    'kestrel',
    'Person',
    { name: ['Esther Nafula'], nationality: ['ug'], gender: ['female'] },
    {
      ...tip,
      tlp: 'TLP:AMBER+STRICT',
      codes: ['H0', 'H2'],
      grade: ['B', '2'],
      recipients: ['safeharbour'],
      day: -15,
    },
  );
  book.add(
    'chaophraya',
    'Person',
    { name: ['มาลัย คำแก้ว'], nationality: ['th'], gender: ['female'] },
    { ...tip, tlp: 'TLP:RED', codes: ['H0', 'H1'], grade: ['A', '1'], recipients: ['safeharbour'], day: -36 },
  );
  book.add(
    'chaophraya',
    'Person',
    {
      name: ['Sorn Vannak'],
      nationality: ['kh'],
      gender: ['male'],
      notes: ['Fisherman held on a trawler for 14 months.'],
    },
    { ...tip, tlp: 'TLP:RED', codes: ['H0', 'H1'], grade: ['A', '2'], recipients: ['safeharbour'], day: -22 },
  );
  // A recruiter the survivors named: a suspect, so it may flow (to the programme parties, once reviewed).
  book.add(
    'safeharbour',
    'Person',
    { name: ['Mama Zawadi'], alias: ['Zawadi Chepkoech'], nationality: ['ke'] },
    {
      ...tip,
      subject: 'suspect',
      tlp: 'TLP:AMBER+STRICT',
      grade: ['B', '3'],
      recipients: ['kestrel'],
      day: -30,
    },
  );
}

/** Public typologies and warnings: the few TLP:CLEAR records, owned by the coordination bodies. */
function typologies(book: RecordBook): void {
  const clear = { tlp: 'TLP:CLEAR' as const, grade: ['A', '1'] as [string, string], subject: null };
  book.add(
    'meridian',
    'Note',
    {
      description: ['Rip-on/rip-off concealment in refrigerated containers'],
      summary: [
        'Cocaine placed in reefer containers after customs sealing, using cloned seals; typical on ' +
          'Pacific–Indian Ocean routes. Indicators: seal numbers that do not match the bill of lading.',
      ],
    },
    {
      ...clear,
      crimeAreas: ['drug_trafficking', 'maritime_crime'],
      purposes: ['prevention', 'training'],
      day: -300,
    },
  );
  book.add(
    'acacia',
    'Note',
    {
      description: ['Wildlife products declared as dried seafood'],
      summary: [
        'Ivory and pangolin scales shipped as “dried seafood” or “sea cucumber” from East African ports.',
      ],
    },
    {
      ...clear,
      crimeAreas: ['environmental_crime'],
      purposes: ['prevention', 'strategic_analysis'],
      day: -200,
    },
  );
  book.add(
    'monsoon',
    'Note',
    {
      description: ['Forced labour on distant-water fishing vessels'],
      summary: ['Recruitment through social-media job offers; passports retained; transhipment at sea.'],
    },
    {
      ...clear,
      crimeAreas: ['trafficking_in_persons', 'maritime_crime'],
      purposes: ['prevention', 'victim_protection'],
      day: -180,
    },
  );
  book.add(
    'condor',
    'Note',
    {
      description: ['Trade-based laundering through banana exports'],
      summary: ['Over-invoiced fruit exports returning cocaine proceeds through Panama holding companies.'],
    },
    {
      tlp: 'TLP:GREEN',
      grade: ['B', '2'],
      subject: null,
      crimeAreas: ['money_laundering', 'drug_trafficking'],
      purposes: ['strategic_analysis'],
      day: -120,
    },
  );
  book.add(
    'protea',
    'Vessel',
    {
      name: ['Southern Pride'],
      flag: ['vc'],
      imoNumber: [`IMO918842${imoCheckDigit('918842')}`],
      type: ['Bulk carrier'],
    },
    {
      tlp: 'TLP:CLEAR',
      grade: ['A', '1'],
      crimeAreas: ['maritime_crime'],
      purposes: ['border_control', 'prevention'],
      day: -250,
    },
  );
}

// ─── Overlaps: the same entity at two or three agencies, spelled differently ───────────────────

interface OverlapGroup {
  owners: DemoOrgKey[];
  crimeAreas: CrimeArea[];
  purposes: Purpose[];
  cultures: string[];
  kinds: ('person' | 'company' | 'vessel' | 'phone' | 'iban' | 'wallet')[];
  count: number;
}

// Each group matches an agreement in force (MARLIN, FIU MoU, wildlife pilot, Condor MoU), so the
// matching feature finds hits the partners may then follow up.
const OVERLAP_GROUPS: OverlapGroup[] = [
  {
    owners: ['kestrel', 'guayas', 'protea', 'magdalena'],
    crimeAreas: ['drug_trafficking', 'maritime_crime'],
    purposes: ['criminal_investigation', 'border_control'],
    cultures: ['andean', 'kenyan', 'south_african'],
    kinds: ['person', 'company', 'vessel', 'phone'],
    count: 8,
  },
  {
    owners: ['isthmus', 'harmattan', 'selat'],
    crimeAreas: ['money_laundering', 'illicit_financial_flows'],
    purposes: ['criminal_investigation', 'asset_recovery'],
    cultures: ['russian', 'chinese_malaysian', 'nigerian', 'gulf_arab', 'panamanian', 'malay'],
    kinds: ['person', 'company', 'iban', 'wallet', 'phone'],
    count: 10,
  },
  {
    owners: ['protea', 'chaophraya', 'kestrel'],
    crimeAreas: ['environmental_crime', 'maritime_crime'],
    purposes: ['criminal_investigation', 'border_control'],
    cultures: ['thai', 'kenyan', 'greek'],
    kinds: ['person', 'vessel', 'company', 'phone'],
    count: 6,
  },
  {
    owners: ['guayas', 'magdalena', 'isthmus'],
    crimeAreas: ['drug_trafficking', 'money_laundering'],
    purposes: ['criminal_investigation', 'asset_recovery'],
    cultures: ['andean', 'panamanian'],
    kinds: ['person', 'company', 'iban'],
    count: 5,
  },
];

function culture(key: string): NameCulture {
  const c = NAME_CULTURES.find((n) => n.key === key);
  if (!c) throw new Error(`unknown name culture ${key}`);
  return c;
}

interface GeneratedName {
  native: string;
  latin: string;
  given: string;
  family: string;
  nonLatin: boolean;
}

function makeName(rng: Rng, c: NameCulture): GeneratedName {
  const g = pick(rng, c.given);
  const f = pick(rng, c.family);
  const sep = c.key === 'chinese_malaysian' ? '' : ' ';
  const native = c.familyFirst ? `${f.native}${sep}${g.native}` : `${g.native} ${f.native}`;
  const latin = c.familyFirst ? `${f.latin} ${g.latin}` : `${g.latin} ${f.latin}`;
  return { native, latin, given: g.latin, family: f.latin, nonLatin: native !== latin };
}

// Common transliteration differences between agencies (Volkov/Volkoff, Srisuk/Srisook, Yousef/Youssef).
const TRANSLITERATIONS: [RegExp, string][] = [
  [/ov\b/, 'off'],
  [/uk\b/, 'ook'],
  [/Yousef/, 'Youssef'],
  [/Khalid/, 'Khaled'],
  [/Zhiming|Weiqiang|Guodong|Meiling|Xiuying|Lihua/, '$& '],
  [/Natalya/, 'Natalia'],
  [/Dmitry/, 'Dmitri'],
  [/Al-/, 'Al '],
  [/Georgios/, 'Giorgos'],
];

function altSpelling(latin: string): string {
  for (const [re, to] of TRANSLITERATIONS) {
    if (re.test(latin)) {
      const spaced = latin.replace(re, to);
      // Split given names such as "Zhiming" → "Zhi ming": insert the space after the first syllable.
      return spaced.replace(/\b(Zhi|Wei|Guo|Mei|Xiu|Li)(ming|qiang|dong|ling|ying|hua) /, '$1 $2');
    }
  }
  return stripAccents(latin);
}

/** The name as the n-th agency recorded it: native script, romanized, or "FAMILY, Given". */
function nameVariant(n: GeneratedName, variant: number): { name: string; alias?: string } {
  switch (variant % 3) {
    case 0:
      return n.nonLatin ? { name: n.native, alias: n.latin } : { name: n.native };
    case 1:
      return { name: altSpelling(n.latin) };
    default:
      return { name: `${stripAccents(n.family).toUpperCase()}, ${stripAccents(n.given)}` };
  }
}

function phoneNumber(rng: Rng, c: NameCulture): { e164: string; spaced: string } {
  const prefix = pick(rng, c.phone.mobile);
  const rest = digits(rng, c.phone.digits - prefix.length);
  const national = `${prefix}${rest}`;
  const spaced = `+${c.phone.cc} ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
  return { e164: `+${c.phone.cc}${national}`, spaced };
}

function birthDate(rng: Rng): string {
  const y = intBetween(rng, 1958, 2001);
  const m = String(intBetween(rng, 1, 12)).padStart(2, '0');
  const d = String(intBetween(rng, 1, 28)).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function companyName(rng: Rng, jurisdiction: string): string {
  const forms = LEGAL_FORMS[jurisdiction] ?? ['Ltd'];
  return `${pick(rng, COMPANY_STEMS)} ${pick(rng, COMPANY_ACTIVITIES)} ${pick(rng, forms)}`;
}

function companyVariant(name: string, variant: number): string {
  switch (variant % 3) {
    case 0:
      return name;
    case 1:
      return name.toUpperCase().replace(/\./g, '');
    default:
      return name
        .replace('&', 'and')
        .replace(/\bLtd\b/, 'Limited')
        .replace('Sdn. Bhd.', 'Sdn Bhd')
        .replace('(Pty) Ltd', 'Pty Limited');
  }
}

const OFFSHORE_BANKS: Record<string, string> = {
  ae: 'Dunehaven Bank PJSC',
  cy: 'Limassol Mercantile Bank',
  lv: 'Baltic Amber Bank',
  mt: 'Valletta Harbour Bank',
  ge: 'Kartli Commercial Bank',
  mu: 'Port Louis Offshore Bank',
};
const DOMESTIC_BANKS: Record<string, string> = {
  pa: 'Banco Istmeño de Comercio',
  co: 'Banco Cafetero del Pacífico',
  ec: 'Banco del Litoral',
  ng: 'Lagoon Trust Bank',
  my: 'Bank Selangor Niaga',
  ke: 'Tana River Bank',
  za: 'Highveld Savings Bank',
  th: 'Siam Orchid Bank',
};

function sharedOverlaps(book: RecordBook, rng: Rng): void {
  for (const g of OVERLAP_GROUPS) {
    for (let i = 0; i < g.count; i++) {
      const kind = g.kinds[i % g.kinds.length] ?? 'person';
      const owners = sample(
        rng,
        g.owners,
        weighted(rng, [
          [2, 3],
          [3, 2],
        ] as const),
      );
      const c = culture(pick(rng, g.cultures));
      const base = {
        crimeAreas: g.crimeAreas,
        purposes: g.purposes,
      };
      const day0 = -intBetween(rng, 20, 380);
      switch (kind) {
        case 'person': {
          const n = makeName(rng, c);
          const dob = birthDate(rng);
          const nat = pick(rng, c.countries);
          const phone = phoneNumber(rng, c);
          owners.forEach((owner, v) => {
            const nv = nameVariant(n, v);
            const props: FtmProperties = {
              name: [nv.name],
              nationality: [nat],
              birthDate: [v === 2 ? dob.slice(0, 4) : dob],
            };
            if (nv.alias) props.alias = [nv.alias];
            if (v !== 1) props.phone = [v === 0 ? phone.spaced : phone.e164];
            book.add(owner, 'Person', props, { ...base, ...bulkHandling(rng, owner), day: day0 + v * 17 });
          });
          break;
        }
        case 'company': {
          const jur = pick(rng, ['pa', 'ae', 'cy', 'vg', ...c.countries]);
          const name = companyName(rng, jur);
          const reg = `${jur.toUpperCase()}-${digits(rng, 7)}`;
          owners.forEach((owner, v) => {
            const props: FtmProperties = { name: [companyVariant(name, v)], jurisdiction: [jur] };
            if (v !== 2) props.registrationNumber = [v === 0 ? reg : reg.replace('-', '')];
            book.add(owner, 'Company', props, { ...base, ...bulkHandling(rng, owner), day: day0 + v * 11 });
          });
          break;
        }
        case 'vessel': {
          const imo = makeImo(rng);
          const name = `${pick(rng, VESSEL_NAMES)}${rng() < 0.3 ? ` ${intBetween(rng, 2, 9)}` : ''}`;
          const flag = pick(rng, VESSEL_FLAGS);
          const imoForms = [`IMO${imo}`, imo, `IMO ${imo}`];
          const nameForms = [name, `MV ${name.toUpperCase()}`, `M/V ${name}`];
          owners.forEach((owner, v) => {
            book.add(
              owner,
              'Vessel',
              { name: [nameForms[v] ?? name], imoNumber: [imoForms[v] ?? imo], flag: [flag] },
              { ...base, ...bulkHandling(rng, owner), subject: null, day: day0 + v * 9 },
            );
          });
          break;
        }
        case 'phone': {
          const n = makeName(rng, c);
          const phone = phoneNumber(rng, c);
          owners.forEach((owner, v) => {
            if (v === 1) {
              book.add(
                owner,
                'UserAccount',
                {
                  username: [`${stripAccents(n.given).toLowerCase().replace(/\s+/g, '')}${digits(rng, 2)}`],
                  service: [pick(rng, ONLINE_SERVICES)],
                  phone: [phone.e164],
                },
                { ...base, ...bulkHandling(rng, owner), subject: null, day: day0 + v * 13 },
              );
            } else {
              const nv = nameVariant(n, v);
              book.add(
                owner,
                'Person',
                {
                  name: [nv.name],
                  phone: [v === 0 ? phone.spaced : phone.e164],
                  ...(nv.alias ? { alias: [nv.alias] } : {}),
                },
                { ...base, ...bulkHandling(rng, owner), day: day0 + v * 13 },
              );
            }
          });
          break;
        }
        case 'iban': {
          const country = pick(rng, IBAN_COUNTRIES);
          const iban = makeIban(rng, country);
          owners.forEach((owner, v) => {
            const props: FtmProperties = { iban: [v === 1 ? groupIban(iban) : iban], country: [country] };
            if (v === 0) props.bankName = [OFFSHORE_BANKS[country] ?? 'Offshore bank'];
            book.add(owner, 'BankAccount', props, {
              ...base,
              ...bulkHandling(rng, owner),
              subject: null,
              day: day0 + v * 7,
            });
          });
          break;
        }
        case 'wallet': {
          const btc = rng() < 0.6;
          const key = btc ? makeBtcAddress(rng) : makeEthAddress(rng);
          owners.forEach((owner, v) => {
            book.add(
              owner,
              'CryptoWallet',
              { publicKey: [key], currency: [btc ? 'BTC' : 'ETH'] },
              { ...base, ...bulkHandling(rng, owner), subject: null, day: day0 + v * 5 },
            );
          });
          break;
        }
        default: {
          const unreachable: never = kind;
          throw new Error(`unknown overlap kind ${String(unreachable)}`);
        }
      }
    }
  }
}

// ─── Bulk: each agency's everyday holdings ──────────────────────────────────────────────────────

type BulkSchema =
  | 'Person'
  | 'Company'
  | 'Vessel'
  | 'BankAccount'
  | 'CryptoWallet'
  | 'UserAccount'
  | 'Passport'
  | 'Address';

interface BulkProfile {
  owner: DemoOrgKey;
  count: number;
  cultures: [string, number][];
  schemata: [BulkSchema, number][];
  crimeAreas: CrimeArea[];
  purposes: Purpose[];
}

const BULK_PROFILES: BulkProfile[] = [
  {
    owner: 'kestrel',
    count: 30,
    cultures: [
      ['kenyan', 6],
      ['gulf_arab', 1],
      ['andean', 1],
      ['south_african', 1],
    ],
    schemata: [
      ['Person', 10],
      ['Company', 3],
      ['Vessel', 2],
      ['UserAccount', 2],
      ['Passport', 2],
      ['Address', 1],
    ],
    crimeAreas: ['drug_trafficking', 'maritime_crime', 'environmental_crime'],
    purposes: ['criminal_investigation', 'border_control'],
  },
  {
    owner: 'guayas',
    count: 28,
    cultures: [
      ['andean', 5],
      ['panamanian', 1],
    ],
    schemata: [
      ['Company', 4],
      ['Vessel', 4],
      ['Person', 6],
      ['Address', 1],
    ],
    crimeAreas: ['drug_trafficking', 'maritime_crime'],
    purposes: ['border_control', 'criminal_investigation'],
  },
  {
    owner: 'magdalena',
    count: 28,
    cultures: [
      ['andean', 6],
      ['panamanian', 1],
    ],
    schemata: [
      ['Person', 8],
      ['Company', 3],
      ['UserAccount', 2],
      ['Passport', 2],
      ['BankAccount', 1],
    ],
    crimeAreas: ['drug_trafficking', 'money_laundering'],
    purposes: ['criminal_investigation', 'asset_recovery'],
  },
  {
    owner: 'protea',
    count: 28,
    cultures: [
      ['south_african', 4],
      ['greek', 1],
      ['nigerian', 1],
    ],
    schemata: [
      ['Vessel', 4],
      ['Company', 4],
      ['Person', 5],
      ['Address', 1],
    ],
    crimeAreas: ['drug_trafficking', 'environmental_crime', 'maritime_crime'],
    purposes: ['border_control', 'criminal_investigation'],
  },
  {
    owner: 'chaophraya',
    count: 28,
    cultures: [
      ['thai', 6],
      ['chinese_malaysian', 1],
      ['kenyan', 1],
    ],
    schemata: [
      ['Person', 8],
      ['Vessel', 2],
      ['UserAccount', 2],
      ['Address', 1],
    ],
    crimeAreas: ['environmental_crime', 'drug_trafficking', 'trafficking_in_persons'],
    purposes: ['criminal_investigation'],
  },
  {
    owner: 'isthmus',
    count: 28,
    cultures: [
      ['panamanian', 4],
      ['andean', 1],
      ['russian', 1],
      ['gulf_arab', 1],
    ],
    schemata: [
      ['Company', 5],
      ['BankAccount', 4],
      ['CryptoWallet', 2],
      ['Person', 5],
    ],
    crimeAreas: ['money_laundering', 'illicit_financial_flows', 'fraud'],
    purposes: ['criminal_investigation', 'asset_recovery'],
  },
  {
    owner: 'harmattan',
    count: 28,
    cultures: [
      ['nigerian', 6],
      ['gulf_arab', 1],
      ['russian', 1],
    ],
    schemata: [
      ['BankAccount', 4],
      ['CryptoWallet', 3],
      ['Person', 6],
      ['Company', 3],
      ['UserAccount', 1],
    ],
    crimeAreas: ['money_laundering', 'fraud', 'cybercrime'],
    purposes: ['criminal_investigation', 'asset_recovery'],
  },
  {
    owner: 'selat',
    count: 28,
    cultures: [
      ['chinese_malaysian', 3],
      ['malay', 3],
      ['russian', 1],
      ['gulf_arab', 1],
    ],
    schemata: [
      ['Company', 4],
      ['BankAccount', 3],
      ['CryptoWallet', 3],
      ['Person', 6],
    ],
    crimeAreas: ['money_laundering', 'illicit_financial_flows', 'terrorism_financing'],
    purposes: ['criminal_investigation', 'strategic_analysis'],
  },
  {
    owner: 'equinox',
    count: 10,
    cultures: [
      ['panamanian', 3],
      ['andean', 1],
    ],
    schemata: [
      ['BankAccount', 5],
      ['Company', 3],
      ['Person', 2],
    ],
    crimeAreas: ['money_laundering', 'fraud'],
    purposes: ['prevention'],
  },
];

const H3_TEXTS = [
  'Do not contact the subject’s employer.',
  'Not for use in asylum or immigration proceedings.',
  'Confirm with the originator before any arrest.',
  'Source protection: do not quote the report number.',
];

/** Label, codes and grade for a generated record; Kestrel never labels CLEAR (see DEMO_AGREEMENTS). */
function bulkHandling(rng: Rng, owner: DemoOrgKey): Pick<RecordOptions, 'tlp' | 'codes' | 'h3' | 'grade'> {
  const clearAllowed = owner !== 'kestrel';
  const tlp = weighted<TlpLabel>(rng, [
    ['TLP:AMBER', 46],
    ['TLP:GREEN', 38],
    ['TLP:AMBER+STRICT', 12],
    ['TLP:CLEAR', clearAllowed ? 1 : 0],
  ]);
  const codeSet = weighted<'h0' | 'h0h2' | 'h1' | 'h3'>(rng, [
    ['h0', 62],
    ['h0h2', 20],
    ['h1', 10],
    ['h3', 8],
  ]);
  const scheme = OWNER_DEFAULTS[owner].scheme;
  const grades = EVALUATION_GRADES[scheme];
  const source =
    scheme === 'eu4x4'
      ? weighted(rng, [
          ['A', 10],
          ['B', 55],
          ['C', 15],
          ['X', 20],
        ] as const)
      : weighted(rng, [
          ['A', 8],
          ['B', 45],
          ['C', 25],
          ['D', 7],
          ['F', 15],
        ] as const);
  // NATO grades 6 ("cannot be judged") are rare in records an agency chooses to share.
  const information = pick(rng, scheme === 'eu4x4' ? grades.information : grades.information.slice(0, 5));
  switch (codeSet) {
    case 'h0':
      return { tlp, codes: ['H0'], grade: [source, information] };
    case 'h0h2':
      return { tlp, codes: ['H0', 'H2'], grade: [source, information] };
    case 'h1':
      return { tlp, codes: ['H0', 'H1'], grade: [source, information] };
    case 'h3':
      return { tlp, codes: ['H0', 'H3'], h3: pick(rng, H3_TEXTS), grade: [source, information] };
    default: {
      const unreachable: never = codeSet;
      throw new Error(`unknown handling set ${String(unreachable)}`);
    }
  }
}

function bulkRecords(book: RecordBook, rng: Rng): void {
  for (const p of BULK_PROFILES) {
    const persons: string[] = [];
    for (let i = 0; i < p.count; i++) {
      const c = culture(weighted(rng, p.cultures));
      const schema = weighted(rng, p.schemata);
      const crimeAreas = sample(
        rng,
        p.crimeAreas,
        weighted(rng, [
          [1, 3],
          [2, 2],
        ] as const),
      );
      const purposes = sample(
        rng,
        p.purposes,
        weighted(rng, [
          [1, 2],
          [2, 1],
        ] as const),
      );
      // Most records are recent; a few are old enough that their retention review is due.
      const day = rng() < 0.04 ? -intBetween(rng, 1650, 1700) : -intBetween(rng, 1, 420);
      const retracted =
        rng() < 0.012
          ? 'Information withdrawn by the source; record retracted pending re-evaluation.'
          : undefined;
      const base: RecordOptions = { crimeAreas, purposes, day, ...bulkHandling(rng, p.owner), retracted };
      switch (schema) {
        case 'Person': {
          const n = makeName(rng, c);
          const props: FtmProperties = {
            name: [n.native],
            firstName: [n.given],
            lastName: [n.family],
            nationality: [pick(rng, c.countries)],
            gender: [pick(rng, ['male', 'male', 'female'])],
          };
          if (n.nonLatin) props.alias = [n.latin];
          if (rng() < 0.8) props.birthDate = [birthDate(rng)];
          if (rng() < 0.7) props.phone = [phoneNumber(rng, c).spaced];
          if (rng() < 0.3)
            props.passportNumber = [`${chars(rng, 'ABCDEFGHJKLMNPRSTUVWXYZ', 2)}${digits(rng, 7)}`];
          const cities = CITIES[pick(rng, c.countries)];
          if (cities && rng() < 0.3) props.address = [pick(rng, cities)];
          const subject = weighted<SubjectCategory>(rng, [
            ['suspect', 80],
            ['contact_associate', 14],
            ['convicted', 6],
          ]);
          persons.push(book.add(p.owner, 'Person', props, { ...base, subject }));
          break;
        }
        case 'Company': {
          const jur = pick(rng, [...c.countries, 'pa', 'ae']);
          const props: FtmProperties = {
            name: [companyName(rng, jur)],
            jurisdiction: [jur],
            registrationNumber: [`${jur.toUpperCase()}${digits(rng, 8)}`],
            incorporationDate: [
              `${intBetween(rng, 2005, 2024)}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}`,
            ],
          };
          const cities = CITIES[jur];
          if (cities) props.address = [pick(rng, cities)];
          book.add(p.owner, 'Company', props, base);
          break;
        }
        case 'Vessel': {
          book.add(
            p.owner,
            'Vessel',
            {
              name: [pick(rng, VESSEL_NAMES)],
              imoNumber: [`IMO${makeImo(rng)}`],
              flag: [pick(rng, VESSEL_FLAGS)],
              type: [pick(rng, VESSEL_TYPES)],
              buildDate: [String(intBetween(rng, 1988, 2019))],
              mmsi: [digits(rng, 9)],
            },
            base,
          );
          break;
        }
        case 'BankAccount': {
          if (rng() < 0.5) {
            const country = pick(rng, IBAN_COUNTRIES);
            book.add(
              p.owner,
              'BankAccount',
              {
                iban: [makeIban(rng, country)],
                bankName: [OFFSHORE_BANKS[country] ?? 'Offshore bank'],
                country: [country],
                currency: [pick(rng, ['USD', 'EUR', 'AED'])],
              },
              base,
            );
          } else {
            const country = pick(rng, c.countries.filter((x) => DOMESTIC_BANKS[x]).concat(['pa']));
            book.add(
              p.owner,
              'BankAccount',
              {
                accountNumber: [digits(rng, intBetween(rng, 10, 13))],
                bankName: [
                  p.owner === 'equinox' ? 'Equinox Commercial Bank' : (DOMESTIC_BANKS[country] ?? 'Bank'),
                ],
                country: [p.owner === 'equinox' ? 'pa' : country],
                currency: ['USD'],
              },
              base,
            );
          }
          break;
        }
        case 'CryptoWallet': {
          const kind = weighted(rng, [
            ['BTC', 5],
            ['ETH', 3],
            ['USDT', 3],
          ] as const);
          const props: FtmProperties = {
            publicKey: [
              kind === 'BTC'
                ? makeBtcAddress(rng)
                : kind === 'ETH'
                  ? makeEthAddress(rng)
                  : makeTronAddress(rng),
            ],
            currency: [kind],
          };
          if (rng() < 0.5) props.managingExchange = [pick(rng, EXCHANGES)];
          const holder = persons.length > 0 && rng() < 0.5 ? pick(rng, persons) : undefined;
          if (holder) props.holder = [holder];
          book.add(p.owner, 'CryptoWallet', props, base);
          break;
        }
        case 'UserAccount': {
          const n = makeName(rng, c);
          const props: FtmProperties = {
            username: [
              `${stripAccents(n.family)
                .toLowerCase()
                .replace(/[^a-z]/g, '')}_${digits(rng, 3)}`,
            ],
            service: [pick(rng, ONLINE_SERVICES)],
            phone: [phoneNumber(rng, c).e164],
          };
          const owner = persons.length > 0 && rng() < 0.5 ? pick(rng, persons) : undefined;
          if (owner) props.owner = [owner];
          book.add(p.owner, 'UserAccount', props, base);
          break;
        }
        case 'Passport': {
          // A passport needs its holder: create one when the agency has no person yet.
          const holder =
            persons.length > 0
              ? pick(rng, persons)
              : book.add(
                  p.owner,
                  'Person',
                  { name: [makeName(rng, c).native] },
                  { ...base, subject: 'suspect' },
                );
          const year = intBetween(rng, 2016, 2024);
          book.add(
            p.owner,
            'Passport',
            {
              holder: [holder],
              number: [`${chars(rng, 'ABCDEFGHJKLMNPRSTUVWXYZ', 1)}${digits(rng, 8)}`],
              country: [pick(rng, c.countries)],
              startDate: [`${year}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-01`],
              endDate: [`${year + 10}-01-01`],
            },
            base,
          );
          break;
        }
        case 'Address': {
          const country = pick(rng, c.countries);
          const city = pick(rng, CITIES[country] ?? ['Capital']);
          book.add(
            p.owner,
            'Address',
            {
              full: [`Warehouse ${intBetween(rng, 1, 40)}, Port Road, ${city}`],
              city: [city],
              country: [country],
            },
            base,
          );
          break;
        }
        default: {
          const unreachable: never = schema;
          throw new Error(`unknown bulk schema ${String(unreachable)}`);
        }
      }
    }
  }
}
