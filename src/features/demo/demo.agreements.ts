import type {
  AgreementKind,
  AgreementStatus,
  CrimeArea,
  DataCategory,
  Purpose,
  TlpLabel,
} from '../../domain/vocabulary.js';
import type { ReviewTrigger } from '../../platform/db/schema.js';
import type { DemoOrgKey } from './demo.organizations.js';

/**
 * The demo's agreements. Dates are day offsets from the moment the demo is loaded (negative = in
 * the past), so an expired agreement is expired and a near-sunset one is near its sunset whenever
 * the demo is loaded.
 *
 * Governed sharing to try out (see demoLogins):
 * - Kestrel Bureau of Investigation (KE police) and Guayas Maritime Customs Directorate (EC customs)
 *   share under AGR-DSP-2025-014 "MARLIN" (active) and JIT TIDEWATER: cocaine in reefer containers
 *   from the port of Guayaquil to Mombasa.
 * - Selat Financial Intelligence Centre (MY) has no agreement with Kestrel, at any status: its
 *   analyst sees none of Kestrel's records (Kestrel owns no TLP:CLEAR record and names Selat on none).
 */
export interface DemoAgreement {
  key: string;
  reference: string;
  title: string;
  kind: AgreementKind;
  status: AgreementStatus;
  description: string;
  crimeAreas: CrimeArea[];
  dataCategories: DataCategory[];
  purposes: Purpose[];
  ceiling: { tlp: TlpLabel; h2Allowed: boolean; onwardTransfer: boolean };
  matchingAllowed: boolean;
  maxRetentionDays: number | null;
  createdBy: DemoOrgKey;
  createdDay: number;
  validFromDay: number;
  sunsetDay: number;
  pilot?: { endsDay: number; successCriteria: string };
  reviewTriggers: ReviewTrigger[];
  lastReviewedDay: number | null;
  exchangedSinceReview: number;
  /** Parties and the day each signed (null: not signed yet). */
  parties: { org: DemoOrgKey; signedDay: number | null }[];
  /** Status changes after creation, in order; the last one ends in `status`. */
  transitions: {
    day: number;
    by: DemoOrgKey | null;
    from: AgreementStatus;
    to: AgreementStatus;
    reason: string;
  }[];
  /** Other timeline entries (reviews, scope amendments, incidents). */
  notes?: { day: number; by: DemoOrgKey | null; action: string; details: Record<string, unknown> }[];
  incidents?: { day: number; by: DemoOrgKey; description: string; resolvedDay: number | null }[];
}

const ALL_DATA: DataCategory[] = [
  'persons',
  'organizations',
  'financial',
  'communications',
  'vehicles_vessels',
  'locations',
  'documents',
  'modus_operandi',
];

export const DEMO_AGREEMENTS: readonly DemoAgreement[] = [
  {
    key: 'framework',
    reference: 'MPCO-TRT-2023-001',
    title: 'Meridian Framework Treaty on Police Cooperation',
    kind: 'treaty',
    status: 'active',
    description:
      'Framework between the Meridian Police Cooperation Organization and its regional bodies: strategic ' +
      'analysis products, typologies and training material flow between the regional secretariats.',
    crimeAreas: [
      'drug_trafficking',
      'trafficking_in_persons',
      'migrant_smuggling',
      'money_laundering',
      'environmental_crime',
      'maritime_crime',
      'cybercrime',
      'firearms_trafficking',
    ],
    // Only modus operandi: operational data flows under the bilateral and multilateral protocols.
    dataCategories: ['modus_operandi'],
    purposes: ['strategic_analysis', 'prevention', 'training'],
    ceiling: { tlp: 'TLP:GREEN', h2Allowed: false, onwardTransfer: true },
    matchingAllowed: false,
    maxRetentionDays: 1825,
    createdBy: 'meridian',
    createdDay: -1000,
    validFromDay: -900,
    sunsetDay: 2750,
    reviewTriggers: [{ kind: 'periodic', months: 24 }, { kind: 'incident' }],
    lastReviewedDay: -170,
    exchangedSinceReview: 42,
    parties: [
      { org: 'meridian', signedDay: -960 },
      { org: 'acacia', signedDay: -940 },
      { org: 'monsoon', signedDay: -935 },
      { org: 'condor', signedDay: -910 },
    ],
    transitions: [
      { day: -900, by: 'meridian', from: 'draft', to: 'active', reason: 'Ratified by all parties.' },
    ],
    notes: [
      {
        day: -170,
        by: 'meridian',
        action: 'reviewed',
        details: {
          outcome: 'continue',
          summary: 'Biennial review: scope unchanged, training purpose confirmed.',
        },
      },
    ],
  },
  {
    key: 'marlin',
    reference: 'AGR-DSP-2025-014',
    title: 'MARLIN – Port-to-Port Cocaine Interdiction Protocol',
    kind: 'data_sharing_protocol',
    status: 'active',
    description:
      'Police and customs of Kenya, Ecuador, Colombia and South Africa exchange targeting data on reefer ' +
      'containers, vessels, consignees and the people behind them on the Pacific–Indian Ocean cocaine route.',
    crimeAreas: ['drug_trafficking', 'maritime_crime', 'money_laundering'],
    dataCategories: [
      'persons',
      'organizations',
      'financial',
      'communications',
      'vehicles_vessels',
      'locations',
      'documents',
    ],
    purposes: ['criminal_investigation', 'border_control', 'asset_recovery'],
    ceiling: { tlp: 'TLP:AMBER+STRICT', h2Allowed: true, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 1825,
    createdBy: 'kestrel',
    createdDay: -450,
    validFromDay: -420,
    sunsetDay: 680,
    reviewTriggers: [
      { kind: 'periodic', months: 12 },
      { kind: 'volume', records: 2000 },
      { kind: 'incident' },
      { kind: 'sunset', days: 90 },
    ],
    lastReviewedDay: -55,
    exchangedSinceReview: 312,
    parties: [
      { org: 'kestrel', signedDay: -440 },
      { org: 'guayas', signedDay: -432 },
      { org: 'magdalena', signedDay: -428 },
      { org: 'protea', signedDay: -425 },
    ],
    transitions: [
      { day: -420, by: 'kestrel', from: 'draft', to: 'active', reason: 'Signed by all four parties.' },
      {
        day: -60,
        by: 'guayas',
        from: 'active',
        to: 'under_review',
        reason: 'Periodic review due (12 months).',
      },
      { day: -55, by: 'kestrel', from: 'under_review', to: 'active', reason: 'Review completed: continue.' },
    ],
    notes: [
      {
        day: -55,
        by: 'kestrel',
        action: 'reviewed',
        details: {
          outcome: 'continue',
          summary: '1,480 records exchanged in year one; 37 cross-border hits; add asset recovery purpose.',
        },
      },
      {
        day: -54,
        by: 'kestrel',
        action: 'updated',
        details: {
          changes: {
            purposes: {
              before: ['criminal_investigation', 'border_control'],
              after: ['criminal_investigation', 'border_control', 'asset_recovery'],
            },
          },
        },
      },
    ],
  },
  {
    key: 'tidewater',
    reference: 'JIT-2026-TIDEWATER',
    title: 'Joint Investigation Team TIDEWATER',
    kind: 'jit',
    status: 'active',
    description:
      'Joint investigation into the Saldaña network: cocaine concealed in banana consignments shipped by ' +
      'Bluewater Reefer Logistics from Guayaquil to Mombasa, and the proceeds laundered through Panama.',
    crimeAreas: ['drug_trafficking', 'money_laundering'],
    dataCategories: ALL_DATA,
    purposes: ['criminal_investigation', 'asset_recovery'],
    ceiling: { tlp: 'TLP:AMBER+STRICT', h2Allowed: true, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 1095,
    createdBy: 'magdalena',
    createdDay: -130,
    validFromDay: -118,
    sunsetDay: 247,
    reviewTriggers: [{ kind: 'incident' }, { kind: 'sunset', days: 30 }],
    lastReviewedDay: null,
    exchangedSinceReview: 96,
    parties: [
      { org: 'magdalena', signedDay: -125 },
      { org: 'kestrel', signedDay: -121 },
      { org: 'guayas', signedDay: -119 },
    ],
    transitions: [
      {
        day: -118,
        by: 'magdalena',
        from: 'draft',
        to: 'active',
        reason: 'Team constituted; all parties signed.',
      },
    ],
  },
  {
    key: 'fiu-mou',
    reference: 'MOU-FIU-2023-007',
    title: 'Memorandum of Understanding on the Exchange of Financial Intelligence (Isthmus–Harmattan–Selat)',
    kind: 'mou',
    status: 'active',
    description:
      'Three financial intelligence units exchange analyses of suspicious transactions, shell companies and ' +
      'virtual-asset flows. The sunset approaches: an extension needs the consent of all three.',
    crimeAreas: ['money_laundering', 'illicit_financial_flows', 'fraud', 'cybercrime', 'terrorism_financing'],
    dataCategories: ['persons', 'organizations', 'financial', 'communications', 'documents'],
    purposes: ['criminal_investigation', 'asset_recovery', 'strategic_analysis'],
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 1825,
    createdBy: 'isthmus',
    createdDay: -1140,
    validFromDay: -1050,
    // Near its sunset but still active: the sunset trigger (30 days) has not fired yet.
    sunsetDay: 45,
    reviewTriggers: [
      { kind: 'sunset', days: 30 },
      { kind: 'periodic', months: 12 },
    ],
    lastReviewedDay: -120,
    exchangedSinceReview: 188,
    parties: [
      { org: 'isthmus', signedDay: -1100 },
      { org: 'harmattan', signedDay: -1080 },
      { org: 'selat', signedDay: -1062 },
    ],
    transitions: [
      { day: -1050, by: 'isthmus', from: 'draft', to: 'active', reason: 'Signed by all parties.' },
    ],
    notes: [
      {
        day: -120,
        by: 'selat',
        action: 'reviewed',
        details: {
          outcome: 'continue',
          summary: 'Annual review; parties to negotiate an extension before sunset.',
        },
      },
    ],
  },
  {
    key: 'wildlife-pilot',
    reference: 'PILOT-ENV-2026-002',
    title: 'Pilot: Wildlife-Vessel Tracking Protocol (Indian Ocean – Andaman Sea)',
    kind: 'data_sharing_protocol',
    status: 'pilot',
    description:
      'Six-month pilot: customs and police share vessel movements, crew and consignee data on suspected ' +
      'ivory and pangolin-scale shipments between East African ports and the Gulf of Thailand.',
    crimeAreas: ['environmental_crime', 'maritime_crime'],
    dataCategories: ['persons', 'organizations', 'vehicles_vessels', 'locations', 'communications'],
    purposes: ['criminal_investigation', 'border_control'],
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 730,
    createdBy: 'protea',
    createdDay: -115,
    validFromDay: -105,
    sunsetDay: 400,
    pilot: {
      endsDay: 75,
      successCriteria:
        'At least 3 vessels of interest identified across two or more parties; first-hit time under 72 hours; ' +
        'no handling-code breach; one joint boarding or inspection by pilot end.',
    },
    reviewTriggers: [{ kind: 'volume', records: 500 }, { kind: 'incident' }],
    lastReviewedDay: null,
    exchangedSinceReview: 61,
    parties: [
      { org: 'protea', signedDay: -112 },
      { org: 'chaophraya', signedDay: -108 },
      { org: 'kestrel', signedDay: -106 },
    ],
    transitions: [
      { day: -105, by: 'protea', from: 'draft', to: 'pilot', reason: 'Pilot approved for six months.' },
    ],
  },
  {
    key: 'survivor-programme',
    reference: 'PRG-TIP-2025-003',
    title: 'Survivor Support and Referral Programme',
    kind: 'programme',
    status: 'under_review',
    description:
      'Funds victim-support case workers and a referral pathway between police and the Safe Harbour ' +
      'Survivors Network. Victim data never flows under it: only to named recipients.',
    crimeAreas: ['trafficking_in_persons', 'migrant_smuggling', 'child_sexual_exploitation'],
    dataCategories: ['modus_operandi', 'locations'],
    purposes: ['victim_protection', 'training', 'prevention'],
    ceiling: { tlp: 'TLP:AMBER+STRICT', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: false,
    maxRetentionDays: 1095,
    createdBy: 'safeharbour',
    createdDay: -420,
    validFromDay: -390,
    sunsetDay: 340,
    reviewTriggers: [{ kind: 'periodic', months: 12 }, { kind: 'incident' }],
    lastReviewedDay: -390,
    exchangedSinceReview: 14,
    parties: [
      { org: 'safeharbour', signedDay: -400 },
      { org: 'kestrel', signedDay: -396 },
      { org: 'chaophraya', signedDay: -392 },
    ],
    transitions: [
      { day: -390, by: 'safeharbour', from: 'draft', to: 'active', reason: 'Funding committed.' },
      { day: -25, by: null, from: 'active', to: 'under_review', reason: 'Periodic review due (12 months).' },
    ],
  },
  {
    key: 'container-mou',
    reference: 'MOU-CUS-2021-011',
    title: 'Container Profiling Cooperation (Kestrel–Protea), 2021',
    kind: 'mou',
    status: 'expired',
    description:
      'Earlier bilateral arrangement on container risk profiles at Mombasa and Durban, superseded by MARLIN ' +
      'and left to lapse at its sunset.',
    crimeAreas: ['drug_trafficking', 'counterfeiting'],
    dataCategories: ['organizations', 'vehicles_vessels', 'documents'],
    purposes: ['border_control'],
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: false,
    maxRetentionDays: 730,
    createdBy: 'protea',
    createdDay: -1700,
    validFromDay: -1640,
    sunsetDay: -40,
    reviewTriggers: [{ kind: 'sunset', days: 60 }],
    lastReviewedDay: -100,
    exchangedSinceReview: 0,
    parties: [
      { org: 'protea', signedDay: -1660 },
      { org: 'kestrel', signedDay: -1650 },
    ],
    transitions: [
      { day: -1640, by: 'protea', from: 'draft', to: 'active', reason: 'Signed by both parties.' },
      { day: -100, by: null, from: 'active', to: 'under_review', reason: 'Sunset in 60 days.' },
      {
        day: -95,
        by: 'kestrel',
        from: 'under_review',
        to: 'active',
        reason: 'Parties agree to let it lapse.',
      },
      { day: -40, by: null, from: 'active', to: 'expired', reason: 'Sunset passed without extension.' },
    ],
  },
  {
    key: 'crypto-draft',
    reference: 'DRAFT-DSP-2026-019',
    title: 'Virtual-Asset Tracing Protocol (draft)',
    kind: 'data_sharing_protocol',
    status: 'draft',
    description:
      'Draft successor to the FIU memorandum, adding virtual-asset service providers data and blind-key ' +
      'matching of wallet addresses. Awaiting the Harmattan signature.',
    crimeAreas: ['money_laundering', 'cybercrime', 'illicit_financial_flows'],
    dataCategories: ['financial', 'persons', 'organizations', 'communications'],
    purposes: ['criminal_investigation', 'asset_recovery'],
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: true, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 1825,
    createdBy: 'selat',
    createdDay: -21,
    validFromDay: 40,
    sunsetDay: 1135,
    reviewTriggers: [
      { kind: 'periodic', months: 12 },
      { kind: 'volume', records: 1000 },
      { kind: 'incident' },
      { kind: 'sunset', days: 60 },
    ],
    lastReviewedDay: null,
    exchangedSinceReview: 0,
    parties: [
      { org: 'selat', signedDay: -14 },
      { org: 'isthmus', signedDay: -9 },
      { org: 'harmattan', signedDay: null },
    ],
    transitions: [],
    notes: [
      {
        day: -12,
        by: 'isthmus',
        action: 'updated',
        details: { changes: { ceiling_h2_allowed: { before: false, after: true } } },
      },
    ],
  },
  {
    key: 'str-feedback',
    reference: 'DSP-FIN-2024-005',
    title: 'Suspicious Activity Feedback Protocol (Isthmus FIU – Equinox Commercial Bank)',
    kind: 'data_sharing_protocol',
    status: 'suspended',
    description:
      'The FIU returns typologies and feedback on the bank’s suspicious activity reports. Suspended after ' +
      'a feedback list was forwarded outside the agreement.',
    crimeAreas: ['money_laundering', 'fraud'],
    dataCategories: ['financial', 'organizations', 'persons'],
    purposes: ['prevention', 'criminal_investigation'],
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: false,
    maxRetentionDays: 365,
    createdBy: 'isthmus',
    createdDay: -600,
    validFromDay: -560,
    sunsetDay: 535,
    reviewTriggers: [{ kind: 'incident' }, { kind: 'periodic', months: 12 }],
    lastReviewedDay: -200,
    exchangedSinceReview: 77,
    parties: [
      { org: 'isthmus', signedDay: -580 },
      { org: 'equinox', signedDay: -570 },
    ],
    transitions: [
      { day: -560, by: 'isthmus', from: 'draft', to: 'active', reason: 'Signed by both parties.' },
      {
        day: -12,
        by: 'isthmus',
        from: 'active',
        to: 'suspended',
        reason: 'Incident reported: flows suspended until reviewed.',
      },
    ],
    incidents: [
      {
        day: -12,
        by: 'isthmus',
        description:
          'A TLP:AMBER feedback list on Corvina Holdings was forwarded by a bank compliance officer to a ' +
          'correspondent bank that is not a party to the protocol.',
        resolvedDay: null,
      },
    ],
  },
  {
    key: 'condor-mou',
    reference: 'MOU-CND-2024-002',
    title: 'Condor Network Memorandum on Drug-Proceeds Intelligence',
    kind: 'mou',
    status: 'active',
    description:
      'Customs, police and the FIU of the Condor network share leads on companies and accounts that launder ' +
      'cocaine proceeds through Panama.',
    crimeAreas: ['drug_trafficking', 'money_laundering'],
    dataCategories: ['persons', 'organizations', 'financial', 'documents'],
    purposes: ['criminal_investigation', 'asset_recovery'],
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 1825,
    createdBy: 'condor',
    createdDay: -700,
    validFromDay: -650,
    sunsetDay: 1175,
    reviewTriggers: [{ kind: 'periodic', months: 24 }, { kind: 'incident' }],
    lastReviewedDay: -300,
    exchangedSinceReview: 233,
    parties: [
      { org: 'condor', signedDay: -690 },
      { org: 'guayas', signedDay: -672 },
      { org: 'magdalena', signedDay: -668 },
      { org: 'isthmus', signedDay: -655 },
    ],
    transitions: [{ day: -650, by: 'condor', from: 'draft', to: 'active', reason: 'Signed by all parties.' }],
  },
];
