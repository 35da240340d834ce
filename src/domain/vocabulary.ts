/**
 * The controlled vocabularies of DOMAIN.md. Server, CLI and web application import these lists so
 * that the codes stored, validated and displayed are always the same ones.
 */

export const ORGANIZATION_KINDS = [
  'international',
  'regional',
  'national',
  'civil_society',
  'private_sector',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const AGENCY_TYPES = [
  'police',
  'customs',
  'fiu',
  'border',
  'prosecution',
  'judiciary',
  'coordination',
  'ngo',
  'company',
] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export const REGIONS = [
  'global',
  'africa',
  'south_east_asia',
  'americas',
  'gulf',
  'south_east_europe',
  'europe',
] as const;
export type Region = (typeof REGIONS)[number];

export const CRIME_AREAS = [
  'drug_trafficking',
  'trafficking_in_persons',
  'migrant_smuggling',
  'firearms_trafficking',
  'cybercrime',
  'fraud',
  'money_laundering',
  'corruption',
  'terrorism_financing',
  'environmental_crime',
  'counterfeiting',
  'maritime_crime',
  'cultural_property',
  'child_sexual_exploitation',
  'organized_property_crime',
  'illicit_financial_flows',
] as const;
export type CrimeArea = (typeof CRIME_AREAS)[number];

export const PURPOSES = [
  'criminal_investigation',
  'prevention',
  'strategic_analysis',
  'border_control',
  'asset_recovery',
  'victim_protection',
  'identification',
  'training',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const DATA_CATEGORIES = [
  'persons',
  'organizations',
  'financial',
  'communications',
  'vehicles_vessels',
  'locations',
  'documents',
  'modus_operandi',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const SUBJECT_CATEGORIES = [
  'suspect',
  'convicted',
  'victim',
  'witness',
  'contact_associate',
  'missing_person',
  'informant',
] as const;
export type SubjectCategory = (typeof SUBJECT_CATEGORIES)[number];

/** Victim, witness and informant data never flows under a general agreement. */
export const RESTRICTED_SUBJECT_CATEGORIES: readonly SubjectCategory[] = ['victim', 'witness', 'informant'];

/** TLP 2.0 labels, from least to most restrictive. The order is used for agreement ceilings. */
export const TLP_LABELS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

/** Rank of a label: a higher number is more restrictive. */
export function tlpRank(label: TlpLabel): number {
  return TLP_LABELS.indexOf(label);
}

export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const EVALUATION_SCHEMES = ['eu4x4', 'nato6x6'] as const;
export type EvaluationScheme = (typeof EVALUATION_SCHEMES)[number];

/** Valid grades per scheme. Grades are stored with their scheme and never converted. */
export const EVALUATION_GRADES: Record<
  EvaluationScheme,
  { source: readonly string[]; information: readonly string[] }
> = {
  eu4x4: { source: ['A', 'B', 'C', 'X'], information: ['1', '2', '3', '4'] },
  nato6x6: { source: ['A', 'B', 'C', 'D', 'E', 'F'], information: ['1', '2', '3', '4', '5', '6'] },
};

export const ROLES = [
  'platform_admin',
  'org_admin',
  'analyst',
  'investigator',
  'liaison',
  'auditor',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may read intelligence records at all. `auditor` reads the audit log, not the data. */
export const DATA_READER_ROLES: readonly Role[] = [
  'platform_admin',
  'org_admin',
  'analyst',
  'investigator',
  'liaison',
  'viewer',
];
/** Roles that may create and edit their own organization's records. */
export const DATA_WRITER_ROLES: readonly Role[] = ['org_admin', 'analyst', 'investigator', 'liaison'];

export const AGREEMENT_KINDS = ['treaty', 'mou', 'data_sharing_protocol', 'jit', 'programme'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export const AGREEMENT_STATUSES = [
  'draft',
  'pilot',
  'active',
  'under_review',
  'suspended',
  'terminated',
  'expired',
] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Data flows only under agreements in these states (and within validity). */
export const FLOWING_AGREEMENT_STATUSES: readonly AgreementStatus[] = ['pilot', 'active'];

export const REVIEW_TRIGGER_KINDS = ['periodic', 'volume', 'incident', 'sunset'] as const;
export type ReviewTriggerKind = (typeof REVIEW_TRIGGER_KINDS)[number];

export const RECORD_STATUSES = ['active', 'retracted', 'expired'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** How a reader came to see an object; recorded in the audit log for every read. */
export const ACCESS_BASES = [
  'owner',
  'agreement',
  'named_recipient',
  'tlp_clear',
  'team',
  'disclosure',
] as const;
export type AccessBasisKind = (typeof ACCESS_BASES)[number];
