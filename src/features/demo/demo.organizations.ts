import type { AgencyType, CrimeArea, OrganizationKind, Region } from '../../domain/vocabulary.js';

/**
 * The demo's organizations. Every name is invented; countries are real ISO 3166-1 codes so maps,
 * filters and matching behave as with real data. Keys are stable handles used by the other demo
 * modules; ids are random per load.
 */
export interface DemoOrganization {
  key: DemoOrgKey;
  slug: string;
  name: string;
  shortName: string;
  kind: OrganizationKind;
  region: Region;
  /** ISO 3166-1 alpha-2, upper case (as organizations store them). */
  countries: string[];
  agencyType: AgencyType;
  crimeAreas: CrimeArea[];
  /** Keys of the bodies this organization is a member of. */
  memberOf: DemoOrgKey[];
  /** Sub-domain of the users' e-mail addresses under `.demo.entente.example`. */
  mailDomain: string;
}

export type DemoOrgKey =
  | 'meridian'
  | 'acacia'
  | 'monsoon'
  | 'condor'
  | 'kestrel'
  | 'protea'
  | 'harmattan'
  | 'guayas'
  | 'magdalena'
  | 'isthmus'
  | 'chaophraya'
  | 'selat'
  | 'safeharbour'
  | 'equinox';

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    key: 'meridian',
    slug: 'meridian',
    name: 'Meridian Police Cooperation Organization',
    shortName: 'MPCO',
    kind: 'international',
    region: 'global',
    countries: [],
    agencyType: 'coordination',
    crimeAreas: [
      'drug_trafficking',
      'trafficking_in_persons',
      'money_laundering',
      'environmental_crime',
      'maritime_crime',
      'cybercrime',
    ],
    memberOf: [],
    mailDomain: 'meridian',
  },
  {
    key: 'acacia',
    slug: 'acacia-bureau',
    name: 'Acacia Regional Police Cooperation Bureau',
    shortName: 'ARPCB',
    kind: 'regional',
    region: 'africa',
    countries: ['KE', 'NG', 'ZA'],
    agencyType: 'coordination',
    crimeAreas: ['drug_trafficking', 'environmental_crime', 'trafficking_in_persons', 'firearms_trafficking'],
    memberOf: ['meridian'],
    mailDomain: 'acacia',
  },
  {
    key: 'monsoon',
    slug: 'monsoon-council',
    name: 'Monsoon Council of Police Chiefs',
    shortName: 'MCPC',
    kind: 'regional',
    region: 'south_east_asia',
    countries: ['TH', 'MY'],
    agencyType: 'coordination',
    crimeAreas: ['drug_trafficking', 'trafficking_in_persons', 'environmental_crime', 'cybercrime'],
    memberOf: ['meridian'],
    mailDomain: 'monsoon',
  },
  {
    key: 'condor',
    slug: 'condor-network',
    name: 'Condor Police Cooperation Network of the Americas',
    shortName: 'CONDORNET',
    kind: 'regional',
    region: 'americas',
    countries: ['CO', 'EC', 'PA'],
    agencyType: 'coordination',
    crimeAreas: ['drug_trafficking', 'money_laundering', 'migrant_smuggling', 'firearms_trafficking'],
    memberOf: ['meridian'],
    mailDomain: 'condor',
  },
  {
    key: 'kestrel',
    slug: 'kestrel-bureau',
    name: 'Kestrel Bureau of Investigation',
    shortName: 'KBI',
    kind: 'national',
    region: 'africa',
    countries: ['KE'],
    agencyType: 'police',
    crimeAreas: ['drug_trafficking', 'maritime_crime', 'environmental_crime', 'trafficking_in_persons'],
    memberOf: ['acacia'],
    mailDomain: 'kestrel',
  },
  {
    key: 'protea',
    slug: 'protea-customs',
    name: 'Protea Revenue and Customs Service',
    shortName: 'PRCS',
    kind: 'national',
    region: 'africa',
    countries: ['ZA'],
    agencyType: 'customs',
    crimeAreas: ['drug_trafficking', 'environmental_crime', 'counterfeiting', 'maritime_crime'],
    memberOf: ['acacia'],
    mailDomain: 'protea',
  },
  {
    key: 'harmattan',
    slug: 'harmattan-fiu',
    name: 'Harmattan Financial Intelligence Unit',
    shortName: 'HFIU',
    kind: 'national',
    region: 'africa',
    countries: ['NG'],
    agencyType: 'fiu',
    crimeAreas: ['money_laundering', 'fraud', 'cybercrime', 'terrorism_financing'],
    memberOf: ['acacia'],
    mailDomain: 'harmattan',
  },
  {
    key: 'guayas',
    slug: 'guayas-customs',
    name: 'Guayas Maritime Customs Directorate',
    shortName: 'GMCD',
    kind: 'national',
    region: 'americas',
    countries: ['EC'],
    agencyType: 'customs',
    crimeAreas: ['drug_trafficking', 'maritime_crime', 'counterfeiting'],
    memberOf: ['condor'],
    mailDomain: 'guayas',
  },
  {
    key: 'magdalena',
    slug: 'magdalena-police',
    name: 'Magdalena Judicial Police Directorate',
    shortName: 'MJPD',
    kind: 'national',
    region: 'americas',
    countries: ['CO'],
    agencyType: 'police',
    crimeAreas: ['drug_trafficking', 'money_laundering', 'firearms_trafficking'],
    memberOf: ['condor'],
    mailDomain: 'magdalena',
  },
  {
    key: 'isthmus',
    slug: 'isthmus-fiu',
    name: 'Isthmus Financial Analysis Unit',
    shortName: 'IFAU',
    kind: 'national',
    region: 'americas',
    countries: ['PA'],
    agencyType: 'fiu',
    crimeAreas: ['money_laundering', 'illicit_financial_flows', 'fraud'],
    memberOf: ['condor'],
    mailDomain: 'isthmus',
  },
  {
    key: 'chaophraya',
    slug: 'chao-phraya-bureau',
    name: 'Chao Phraya Crime Suppression Bureau',
    shortName: 'CPCSB',
    kind: 'national',
    region: 'south_east_asia',
    countries: ['TH'],
    agencyType: 'police',
    crimeAreas: ['environmental_crime', 'trafficking_in_persons', 'drug_trafficking'],
    memberOf: ['monsoon'],
    mailDomain: 'chaophraya',
  },
  {
    key: 'selat',
    slug: 'selat-fiu',
    name: 'Selat Financial Intelligence Centre',
    shortName: 'SFIC',
    kind: 'national',
    region: 'south_east_asia',
    countries: ['MY'],
    agencyType: 'fiu',
    crimeAreas: ['money_laundering', 'illicit_financial_flows', 'terrorism_financing'],
    memberOf: ['monsoon'],
    mailDomain: 'selat',
  },
  {
    key: 'safeharbour',
    slug: 'safe-harbour-network',
    name: 'Safe Harbour Survivors Network',
    shortName: 'SHSN',
    kind: 'civil_society',
    region: 'global',
    countries: ['KE', 'TH'],
    agencyType: 'ngo',
    crimeAreas: ['trafficking_in_persons', 'migrant_smuggling', 'child_sexual_exploitation'],
    memberOf: [],
    mailDomain: 'safeharbour',
  },
  {
    key: 'equinox',
    slug: 'equinox-bank',
    name: 'Equinox Commercial Bank',
    shortName: 'ECB',
    kind: 'private_sector',
    region: 'americas',
    countries: ['PA'],
    agencyType: 'company',
    crimeAreas: ['money_laundering', 'fraud'],
    memberOf: [],
    mailDomain: 'equinox',
  },
];

/** The organization with a key; throws on a typo so a broken scenario fails at load. */
export function demoOrg(key: DemoOrgKey): DemoOrganization {
  const org = DEMO_ORGANIZATIONS.find((o) => o.key === key);
  if (!org) throw new Error(`unknown demo organization ${key}`);
  return org;
}
