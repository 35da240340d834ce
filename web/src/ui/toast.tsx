import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IconClose } from './icons.js';

type Tone = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  tone: Tone;
  text: string;
}

const ToastContext = createContext<(text: string, tone?: Tone) => void>(() => {});

/** Shows short notifications in a polite live region; each disappears after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (text: string, tone: Tone = 'success') => {
      const id = Date.now() + Math.random();
      setToasts((list) => [...list.slice(-3), { id, tone, text }]);
      window.setTimeout(() => dismiss(id), tone === 'error' ? 8000 : 5000);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section className="toasts" aria-live="polite" aria-label={t('a11y.notifications')}>
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast--${toast.tone}`}
            role={toast.tone === 'error' ? 'alert' : 'status'}
          >
            <span>{toast.text}</span>
            <button
              type="button"
              className="btn btn--icon"
              onClick={() => dismiss(toast.id)}
              aria-label={t('common.close')}
            >
              <IconClose />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

/** `toast(text, tone)` from anywhere under ToastProvider. */
export function useToast(): (text: string, tone?: Tone) => void {
  return useContext(ToastContext);
}
