import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ar } from '../../i18n/locales/ar.js';
import { en } from '../../i18n/locales/en.js';
import {
  comparable,
  deadlineState,
  featureKey,
  featureLabel,
  formatDuration,
  formatScore,
} from './matching-data.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const at = (hours: number) => new Date(NOW + hours * 3_600_000).toISOString();

beforeAll(async () => {
  await i18next.init({
    lng: 'en',
    fallbackLng: 'en',
    resources: { en: { translation: en }, ar: { translation: ar } },
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
});

describe('deadlines', () => {
  it('says how long is left, amber under 12 hours', () => {
    expect(deadlineState(at(47.9), NOW)).toEqual({ text: 'due in 48 hr', tone: 'ok' });
    expect(deadlineState(at(5), NOW)).toEqual({ text: 'due in 5 hr', tone: 'soon' });
    expect(deadlineState(at(0.5), NOW)).toEqual({ text: 'due in 30 min', tone: 'soon' });
  });

  it('says how late an overdue request is', () => {
    expect(deadlineState(at(-2), NOW)).toEqual({ text: 'overdue by 2 hr', tone: 'overdue' });
    expect(deadlineState(at(-72), NOW)).toEqual({ text: 'overdue by 3 days', tone: 'overdue' });
  });

  it('picks the unit that keeps the number readable', () => {
    expect(formatDuration(20_000)).toBe('20 sec');
    expect(formatDuration(-40 * 60_000)).toBe('40 min');
    expect(formatDuration(36 * 3_600_000)).toBe('36 hr');
    expect(formatDuration(5 * 86_400_000)).toBe('5 days');
  });

  it('is written in the interface language', async () => {
    await i18next.changeLanguage('ar');
    const { text } = deadlineState(at(-2), NOW);
    await i18next.changeLanguage('en');
    expect(text.startsWith('متأخر')).toBe(true);
  });
});

describe('features and scores', () => {
  it('turns the matcher’s feature kinds into label keys', () => {
    expect(featureKey('date of birth')).toBe('dateOfBirth');
    expect(featureKey('name (acronym)')).toBe('nameAcronym');
    expect(featureKey('idNumber')).toBe('idNumber');
    expect(featureKey('passport')).toBe('passport');
  });

  it('labels known kinds and shows unknown ones as they come', () => {
    expect(featureLabel('date of birth')).toBe('Date of birth');
    expect(featureLabel('documentNumber')).toBe('Document number');
    expect(featureLabel('shoe size')).toBe('shoe size');
  });

  it('shows a score as a whole percentage', () => {
    expect(formatScore(0.984)).toBe('98%');
    expect(formatScore(1)).toBe('100%');
  });
});

describe('equal values', () => {
  it('ignores case, accents and spacing, nothing else', () => {
    expect(comparable('  Julián   PEÑALOZA ')).toBe(comparable('julian penaloza'));
    expect(comparable('MV Cape Serenity')).not.toBe(comparable('Cape Serenity'));
  });
});
