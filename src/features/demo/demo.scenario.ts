import type { AppContext } from '../../context.js';

/** Placeholder (written by the demo work). */
export async function loadDemoScenario(_ctx: AppContext): Promise<{ loaded: boolean; summary: string }> {
  return { loaded: false, summary: '' };
}

/** Placeholder (written by the demo work). */
export function demoLogins(): {
  password: string;
  users: { email: string; roles: string[]; organization: string }[];
} {
  return { password: '', users: [] };
}
