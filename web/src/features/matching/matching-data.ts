import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { get, type Query } from '../../api/client.js';
import type { Me } from '../../api/types.js';
import { useListParams } from '../../ui/list-params.js';
import type { Paging } from '../../ui/list-view.js';
import { type ApiState, useApi } from '../../ui/use-api.js';
import { tLoose } from '../../ui/vocab.js';

/** Fired on `window` after an action that changes the counts in the navigation (hits seen, a decision). */
export const MATCH_CHANGED_EVENT = 'entente:match-changed';

/** Tells the navigation badges to count again. */
export function announceMatchChange(): void {
  window.dispatchEvent(new Event(MATCH_CHANGED_EVENT));
}

// The roles the matching API lets check, request and decide (docs/API-MATCHING.md).
const ACTING_ROLES = ['org_admin', 'analyst', 'investigator', 'liaison'];

/**
 * What the user may do in matching. The server decides; this only hides what would be refused.
 * `match.*` permissions win when the server sends them; otherwise the record permissions stand in
 * (hits need a data-reading role, checks and decisions a data-writing one).
 */
export function matchAbilities(me: Me): { read: boolean; act: boolean } {
  const has = (p: string) => me.permissions.includes(p);
  if (me.permissions.some((p) => p.startsWith('match.')))
    return { read: has('match.read'), act: has('match.check') || has('match.write') };
  return {
    read: has('records.read'),
    act: has('records.read') && me.roles.some((r) => ACTING_ROLES.includes(r)),
  };
}

/**
 * A page of a matching list driven by filters in the address. The matching API counts pages from
 * 1 (`page`, `pageSize`); the address keeps the offset like every other list, so paging works the same.
 */
export function useMatchList<L extends { items: unknown[]; total: number }, K extends string>(
  path: string,
  keys: readonly K[],
  pageSize: number,
  toQuery?: (values: Record<K, string>) => Query,
  pollMs?: number,
): { list: ReturnType<typeof useListParams<K>>; state: ApiState<L>; paging: Paging } {
  const list = useListParams(keys);
  const page = Math.floor(list.offset / pageSize) + 1;
  const query: Query = { ...list.values, ...toQuery?.(list.values), page, pageSize };
  const state = useApi(`${path}?${list.key}`, (signal) => get<L>(path, query, signal));
  const { reload } = state;
  useEffect(() => {
    if (!pollMs) return;
    const timer = window.setInterval(reload, pollMs);
    return () => window.clearInterval(timer);
  }, [pollMs, reload]);
  return { list, state, paging: { limit: pageSize, offset: list.offset, onChange: list.setOffset } };
}

/** The current time, renewed every `everyMs`, so relative times ("due in 5 h") stay true on screen. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

function lang(): string {
  return i18next.language || 'en';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A length of time in the largest unit that keeps it readable: "12 sec", "40 min", "5 hr", "3 days". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const unit = (value: number, name: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(lang(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  if (abs < MINUTE) return unit(Math.max(1, Math.round(abs / 1000)), 'second');
  if (abs < HOUR) return unit(Math.max(1, Math.round(abs / MINUTE)), 'minute');
  if (abs < 2 * DAY) return unit(Math.round(abs / HOUR), 'hour');
  return unit(Math.round(abs / DAY), 'day');
}

export type DeadlineTone = 'overdue' | 'soon' | 'ok' | 'closed';

/** Where a deadline stands: "due in 5 hr" (soon under 12 hours), or "overdue by 2 hr". */
export function deadlineState(deadlineAt: string, now: number): { text: string; tone: DeadlineTone } {
  const left = new Date(deadlineAt).getTime() - now;
  if (Number.isNaN(left)) return { text: '—', tone: 'ok' };
  if (left < 0)
    return { text: tLoose('matching.deadline.overdueBy', { time: formatDuration(left) }), tone: 'overdue' };
  return {
    text: tLoose('matching.deadline.dueIn', { time: formatDuration(left) }),
    tone: left < 12 * HOUR ? 'soon' : 'ok',
  };
}

/** "3 hr ago", "in 2 days": a past or future moment relative to now. */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  if (Number.isNaN(diff)) return iso;
  const rtf = new Intl.RelativeTimeFormat(lang(), { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < HOUR) return rtf.format(Math.round(diff / MINUTE), 'minute');
  if (abs < 2 * DAY) return rtf.format(Math.round(diff / HOUR), 'hour');
  return rtf.format(Math.round(diff / DAY), 'day');
}

/** A score between 0 and 1 as a whole percentage in the interface language. */
export function formatScore(score: number): string {
  return new Intl.NumberFormat(lang(), { style: 'percent', maximumFractionDigits: 0 }).format(score);
}

/** `date of birth` → `dateOfBirth`, `name (acronym)` → `nameAcronym`: the key of a feature kind's label. */
export function featureKey(kind: string): string {
  const words = kind.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('');
}

/** The translated label of a matched feature kind; an unknown kind shows as itself. */
export function featureLabel(kind: string): string {
  return tLoose(`matching.feature.${featureKey(kind)}`, { defaultValue: kind });
}

/** Values compared loosely (case, accents, spacing), to mark what both records hold. */
export function comparable(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
