import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ar } from './locales/ar.js';
import { en } from './locales/en.js';
import { es } from './locales/es.js';
import { fr } from './locales/fr.js';

export const LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'entente.lang';
const RTL: readonly Language[] = ['ar'];

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language to start with: the saved choice, else the browser's, else English. */
export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage may be disabled; fall through to the browser language.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Whether the user picked a language here (then the account's locale does not override it). */
export function hasSavedLanguage(): boolean {
  try {
    return isLanguage(localStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
}

function applyToDocument(lang: Language): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.includes(lang) ? 'rtl' : 'ltr';
}

/**
 * Switches the interface language, updates `<html lang dir>` and, when `persist` is set,
 * remembers the choice in localStorage.
 */
export async function setLanguage(lang: string, persist = true): Promise<void> {
  const next: Language = isLanguage(lang) ? lang : 'en';
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted: the choice still applies to this page.
    }
  }
  applyToDocument(next);
  await i18next.changeLanguage(next);
}

/** The current interface language. */
export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

/** Initialises i18next with the four catalogues, bundled (deployments are offline). */
export async function initI18n(): Promise<void> {
  const lang = initialLanguage();
  applyToDocument(lang);
  await i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: {
      en: { translation: en },
      fr: { translation: fr },
      es: { translation: es },
      ar: { translation: ar },
    },
    // Vocabulary keys such as `records:read` hold a colon: no namespaces in keys.
    nsSeparator: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}
