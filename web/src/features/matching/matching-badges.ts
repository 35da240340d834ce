import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { get } from '../../api/client.js';
import type { DisclosureList, HitList } from '../../api/types.js';
import { MATCH_CHANGED_EVENT } from './matching-data.js';

export interface MatchBadges {
  /** Open hits in state "new" for the organization. */
  unseen: number;
  /** Requests to the organization still to decide, and those past their deadline. */
  pendingIncoming: number;
  overdueIncoming: number;
}

const REFRESH_MS = 60_000;

/**
 * The counts the navigation shows beside Matching: counted on sign-in, every minute, on each
 * navigation and after any matching action. Null until known, or when matching is not available.
 */
export function useMatchBadges(enabled: boolean): MatchBadges | null {
  const [badges, setBadges] = useState<MatchBadges | null>(null);
  const [tick, setTick] = useState(0);
  const { pathname } = useLocation();

  // biome-ignore lint/correctness/useExhaustiveDependencies: counts again on navigation and on `tick`.
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    Promise.all([
      get<HitList>('/match/hits', { pageSize: 1 }, controller.signal),
      get<DisclosureList>(
        '/match/disclosures',
        { box: 'incoming', status: 'pending', pageSize: 1 },
        controller.signal,
      ),
    ]).then(
      ([hits, disclosures]) =>
        setBadges({
          unseen: hits.unseen ?? 0,
          pendingIncoming: disclosures.pendingIncoming ?? 0,
          overdueIncoming: disclosures.overdueIncoming ?? 0,
        }),
      () => {
        // No badge rather than a wrong one; the pages show their own errors.
      },
    );
    return () => controller.abort();
  }, [enabled, pathname, tick]);

  useEffect(() => {
    if (!enabled) return;
    const bump = () => setTick((n) => n + 1);
    const timer = window.setInterval(bump, REFRESH_MS);
    window.addEventListener(MATCH_CHANGED_EVENT, bump);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(MATCH_CHANGED_EVENT, bump);
    };
  }, [enabled]);

  return enabled ? badges : null;
}
