import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A plain warning on every page while the server runs the demo scenario, so nobody mistakes it
 * for a real deployment. The server reports demo mode in /api/health.
 */
export function DemoBanner() {
  const { t } = useTranslation();
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/health', { signal: controller.signal, credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : null))
      .then((body: { demo?: boolean } | null) => setDemo(body?.demo === true))
      .catch(() => {});
    return () => controller.abort();
  }, []);
  if (!demo) return null;
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      {t('common.demoBanner')}
    </div>
  );
}
