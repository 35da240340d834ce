import type { FtmProperties } from '../platform/db/schema.js';
import type { ExportableRecord } from './types.js';

// Test data for the format tests: one record per record schema, linked to each other.
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const PERSON = id(1);
const COMPANY = id(2);
const ACCOUNT = id(3);
// A record the export does not contain: links to it cannot become STIX relationships.
const OUTSIDE = id(99);

const PROPERTIES: [string, FtmProperties][] = [
  [
    'Person',
    {
      name: ['Ana "Ana" Pérez, Jr.'],
      birthDate: ['1980-02-03'],
      nationality: ['es'],
      email: ['ana@example.org'],
      phone: ['+34600111222'],
      passportNumber: ['X1234567'],
      notes: ['line one\nline two; with semicolon'],
    },
  ],
  ['Company', { name: ['Acme Holdings Ltd'], jurisdiction: ['gb'], registrationNumber: ['01234567'] }],
  [
    'BankAccount',
    { iban: ['DE89370400440532013000'], bic: ['EQNXDEFF'], bankName: ['Equinox Commercial Bank'] },
  ],
  ['Organization', { name: ['Los Primos'], alias: ['The Cousins'] }],
  ['LegalEntity', { name: ['+33612345678'], phone: ['+33612345678'] }],
  ['PublicBody', { name: ['Ministry of Ports'], country: ['pa'] }],
  ['Vessel', { name: ['MV Lucky Star'], imoNumber: ['IMO9321483'], flag: ['pa'] }],
  ['Vehicle', { name: ['Black Audi'], registrationNumber: ['B-AB-123'] }],
  ['Airplane', { name: ['N123AB'], registrationNumber: ['N123AB'] }],
  [
    'CryptoWallet',
    { publicKey: ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT'], currency: ['BTC'], holder: [PERSON] },
  ],
  ['Payment', { payer: [COMPANY], beneficiary: [PERSON], amount: ['15000'], currency: ['EUR'] }],
  ['Identification', { holder: [PERSON], number: ['ID-998877'], country: ['es'] }],
  ['Passport', { holder: [PERSON], number: ['X1234567'], country: ['es'] }],
  ['Sanction', { entity: [COMPANY], authority: ['OFAC'], program: ['SDGT'] }],
  [
    'Address',
    { full: ['1 Harbour Road, Colón, Panama'], street: ['1 Harbour Road'], city: ['Colón'], country: ['pa'] },
  ],
  [
    'UserAccount',
    { username: ['ana_p'], service: ['Telegram'], email: ['ana.p@example.org'], owner: [PERSON] },
  ],
  ['Note', { description: ['Seen at the port twice'], entity: [PERSON] }],
  ['Event', { name: ['Meeting in Colón'], date: ['2024-03-01'], involved: [PERSON] }],
  ['Ownership', { owner: [PERSON], asset: [COMPANY], percentage: ['51'] }],
  ['Directorship', { director: [PERSON], organization: [COMPANY], role: ['director'] }],
  ['Membership', { member: [PERSON], organization: [OUTSIDE] }],
  ['Employment', { employee: [PERSON], employer: [COMPANY] }],
  ['Representation', { agent: [PERSON], client: [COMPANY] }],
  ['Family', { person: [PERSON], relative: [id(1)], relationship: ['sibling'] }],
  ['Associate', { person: [PERSON], associate: [OUTSIDE] }],
  ['UnknownLink', { subject: [COMPANY], object: [ACCOUNT], role: ['holds-account'] }],
];

const TLPS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];

/** One exportable record per record schema, with links between them, owned by two organizations. */
export function sampleRecords(): ExportableRecord[] {
  return PROPERTIES.map(([schema, properties], i) => ({
    id: id(i + 1),
    schema,
    caption: properties.name?.[0] ?? properties.number?.[0] ?? properties.username?.[0] ?? schema,
    properties,
    owner: i % 2 === 0 ? { id: id(900), name: 'Policía Nacional' } : { id: id(901), name: 'FIU Panama' },
    handling: {
      tlp: TLPS[i % TLPS.length] ?? 'TLP:RED',
      codes: i % 3 === 0 ? ['H1', 'H2'] : ['H1'],
      h3Text: null,
    },
    evaluation: { scheme: 'nato6x6', source: 'B', information: '2' },
    crimeAreas: i % 2 === 0 ? ['drug_trafficking', 'money_laundering'] : ['fraud'],
    purposes: ['criminal_investigation'],
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-02T11:30:00.000Z',
  }));
}
