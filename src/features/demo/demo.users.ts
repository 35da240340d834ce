import type { Role } from '../../domain/vocabulary.js';
import { type DemoOrgKey, demoOrg } from './demo.organizations.js';

/** The one well-known demo password (≥ 12 characters). Demo mode refuses to run in production. */
export const DEMO_PASSWORD = 'entente-demo-2026';

export interface DemoUser {
  org: DemoOrgKey;
  /** Local part of the e-mail address; the domain is `<org mailDomain>.demo.entente.example`. */
  local: string;
  displayName: string;
  roles: Role[];
}

/** Every demo user. Every role exists somewhere; the main story organizations have them all. */
export const DEMO_USERS: readonly DemoUser[] = [
  { org: 'meridian', local: 'admin', displayName: 'Ingrid Solberg', roles: ['platform_admin'] },
  { org: 'meridian', local: 'auditor', displayName: 'Tomás Ferreira', roles: ['auditor'] },
  { org: 'meridian', local: 'analyst', displayName: 'Chidinma Eze', roles: ['analyst'] },
  { org: 'meridian', local: 'liaison', displayName: 'Rahul Menon', roles: ['liaison'] },

  { org: 'acacia', local: 'admin', displayName: 'Kwame Asante', roles: ['org_admin'] },
  { org: 'acacia', local: 'analyst', displayName: 'Fatou Diallo', roles: ['analyst'] },
  { org: 'monsoon', local: 'admin', displayName: 'Nguyễn Văn Minh', roles: ['org_admin'] },
  { org: 'monsoon', local: 'analyst', displayName: 'Dewi Kartika', roles: ['analyst'] },
  { org: 'condor', local: 'admin', displayName: 'Mariana Ibáñez', roles: ['org_admin'] },
  { org: 'condor', local: 'analyst', displayName: 'Diego Paredes', roles: ['analyst'] },

  { org: 'kestrel', local: 'admin', displayName: 'Wanjiru Kamau', roles: ['org_admin'] },
  { org: 'kestrel', local: 'analyst', displayName: 'Achieng Odhiambo', roles: ['analyst'] },
  { org: 'kestrel', local: 'investigator', displayName: 'Brian Kiplagat', roles: ['investigator'] },
  { org: 'kestrel', local: 'liaison', displayName: 'Halima Abdalla', roles: ['liaison'] },
  { org: 'kestrel', local: 'auditor', displayName: 'Joseph Njoroge', roles: ['auditor'] },
  { org: 'kestrel', local: 'viewer', displayName: 'Mercy Chebet', roles: ['viewer'] },

  { org: 'guayas', local: 'admin', displayName: 'Fernando Alvarado', roles: ['org_admin'] },
  { org: 'guayas', local: 'analyst', displayName: 'Paola Andrade Cevallos', roles: ['analyst'] },
  { org: 'guayas', local: 'investigator', displayName: 'Jorge Villacís', roles: ['investigator'] },
  { org: 'guayas', local: 'viewer', displayName: 'Karina Loor', roles: ['viewer'] },

  { org: 'magdalena', local: 'admin', displayName: 'Camilo Restrepo', roles: ['org_admin'] },
  { org: 'magdalena', local: 'analyst', displayName: 'Natalia Bermúdez', roles: ['analyst'] },
  { org: 'magdalena', local: 'investigator', displayName: 'Óscar Jaramillo', roles: ['investigator'] },

  { org: 'protea', local: 'admin', displayName: 'Pieter Botha', roles: ['org_admin'] },
  { org: 'protea', local: 'analyst', displayName: 'Nomvula Zulu', roles: ['analyst'] },
  { org: 'protea', local: 'liaison', displayName: 'Ravi Govender', roles: ['liaison'] },

  { org: 'harmattan', local: 'admin', displayName: 'Ibrahim Danjuma', roles: ['org_admin'] },
  { org: 'harmattan', local: 'analyst', displayName: 'Ngozi Okonjo', roles: ['analyst'] },
  { org: 'harmattan', local: 'auditor', displayName: 'Folake Adebayo', roles: ['auditor'] },

  { org: 'isthmus', local: 'admin', displayName: 'Rogelio Arosemena', roles: ['org_admin'] },
  { org: 'isthmus', local: 'analyst', displayName: 'Itzel Batista', roles: ['analyst'] },
  { org: 'isthmus', local: 'investigator', displayName: 'Marcos Jaén', roles: ['investigator'] },

  {
    org: 'chaophraya',
    local: 'admin',
    displayName: 'พ.ต.อ. วีระ ทองคำ (Weera Thongkham)',
    roles: ['org_admin'],
  },
  { org: 'chaophraya', local: 'analyst', displayName: 'ปวีณา ใจดี (Paweena Jaidee)', roles: ['analyst'] },
  { org: 'chaophraya', local: 'investigator', displayName: 'Anucha Boonma', roles: ['investigator'] },

  { org: 'selat', local: 'admin', displayName: 'Hafiz bin Rahman', roles: ['org_admin'] },
  { org: 'selat', local: 'analyst', displayName: 'Nur Iman binti Kassim', roles: ['analyst'] },
  { org: 'selat', local: 'auditor', displayName: '林佩玲 (Lim Pei Ling)', roles: ['auditor'] },

  { org: 'safeharbour', local: 'admin', displayName: 'Sister Agnes Wairimu', roles: ['org_admin'] },
  { org: 'safeharbour', local: 'liaison', displayName: 'Dao Thi Lan', roles: ['liaison'] },
  { org: 'safeharbour', local: 'analyst', displayName: 'Priya Raman', roles: ['analyst'] },

  { org: 'equinox', local: 'admin', displayName: 'Gabriel Castillo', roles: ['org_admin'] },
  { org: 'equinox', local: 'analyst', displayName: 'Yaritza Núñez', roles: ['analyst'] },
];

/** The sign-in e-mail of a demo user. */
export function demoEmail(u: Pick<DemoUser, 'org' | 'local'>): string {
  return `${u.local}@${demoOrg(u.org).mailDomain}.demo.entente.example`;
}

/**
 * The logins printed at start, chosen to show governed sharing:
 * - analyst@kestrel and analyst@guayas share under MARLIN (AGR-DSP-2025-014) and JIT TIDEWATER:
 *   each sees the other's Saldaña, Bluewater and OCEAN LANTERN records.
 * - analyst@selat has no agreement with Kestrel: it sees none of Kestrel's records (and Kestrel none
 *   of Selat's), although both hold pieces of the same networks.
 */
export const PRINTED_LOGINS: readonly Pick<DemoUser, 'org' | 'local'>[] = [
  { org: 'meridian', local: 'admin' },
  { org: 'kestrel', local: 'analyst' },
  { org: 'guayas', local: 'analyst' },
  { org: 'selat', local: 'analyst' },
  { org: 'kestrel', local: 'investigator' },
  { org: 'kestrel', local: 'admin' },
  { org: 'kestrel', local: 'auditor' },
  { org: 'isthmus', local: 'analyst' },
  { org: 'chaophraya', local: 'analyst' },
  { org: 'safeharbour', local: 'liaison' },
];
