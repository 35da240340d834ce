import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

const FORMATS = ['ftm', 'stix', 'misp', 'csv'] as const;

/** The export address of some records in a format; the server sends the file as an attachment. */
export function exportHref(format: (typeof FORMATS)[number], ids: readonly string[]): string {
  const params = new URLSearchParams({ format, ids: ids.join(',') });
  return `/api/v1/records/export?${params.toString()}`;
}

/** "Export" as a disclosure menu of download links (FtM, STIX 2.1, MISP, CSV). */
export function ExportMenu({ recordId }: { recordId: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDetailsElement>(null);

  // Escape and a click elsewhere close the menu, as they do other menus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector('summary')?.focus();
      }
    };
    const onDown = (e: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, []);

  return (
    <details className="menu" ref={ref}>
      <summary className="btn">{t('recordExport.export')}</summary>
      <ul className="menu__panel">
        {FORMATS.map((f) => (
          <li key={f}>
            <a href={exportHref(f, [recordId])} download className="menu__item">
              {t(`recordExport.format.${f}`)}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
