import i18next from 'i18next';

/** Vocabulary groups with translated labels under `vocab.<group>.<code>`. */
export type VocabGroup =
  | 'crimeArea'
  | 'purpose'
  | 'dataCategory'
  | 'subjectCategory'
  | 'orgKind'
  | 'agencyType'
  | 'region'
  | 'role'
  | 'agreementKind'
  | 'agreementStatus'
  | 'recordStatus'
  | 'extensionStatus'
  | 'tokenStatus'
  | 'outcome'
  | 'scheme'
  | 'accessBasis'
  | 'scope';

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** i18next's `t` for keys built at run time (vocabulary codes); falls back to the given default. */
export function tLoose(key: string, options?: Record<string, unknown>): string {
  return (i18next.t as unknown as LooseT)(key, options);
}

/** The translated label of a vocabulary code; an unknown code shows as itself. */
export function vocabLabel(group: VocabGroup, code: string | null | undefined): string {
  if (!code) return '—';
  return tLoose(`vocab.${group}.${code}`, { defaultValue: code });
}

/** TLP 2.0 colours (FIRST): the label is written in its colour on a black background. */
export const TLP_COLOURS: Record<string, { fg: string; bg: string }> = {
  'TLP:RED': { fg: '#FF2B2B', bg: '#000000' },
  'TLP:AMBER+STRICT': { fg: '#FFC000', bg: '#000000' },
  'TLP:AMBER': { fg: '#FFC000', bg: '#000000' },
  'TLP:GREEN': { fg: '#33FF00', bg: '#000000' },
  'TLP:CLEAR': { fg: '#FFFFFF', bg: '#000000' },
};

/** `TLP:AMBER+STRICT` → `AMBER_STRICT`: the key of the label's meaning under `tlp.`. */
export function tlpKey(label: string): string {
  return label.replace(/^TLP:/, '').replace('+', '_');
}

/** The sentence that says what a TLP label allows. */
export function tlpMeaning(label: string): string {
  return tLoose(`tlp.${tlpKey(label)}`, { defaultValue: '' });
}

/** What a handling code means; H3 ends with a colon and is followed by the record's own text. */
export function handlingMeaning(code: string): string {
  return tLoose(`handling.${code}`, { defaultValue: code });
}

/** "B2 – mostly reliable source; known personally to the source", in the interface language. */
export function evaluationMeaning(ev: { scheme: string; source: string; information: string }): string {
  const source = tLoose(`evaluation.${ev.scheme}.source.${ev.source}`, { defaultValue: ev.source });
  const information = tLoose(`evaluation.${ev.scheme}.information.${ev.information}`, {
    defaultValue: ev.information,
  });
  return tLoose('records.gradeMeaning', { grade: `${ev.source}${ev.information}`, source, information });
}
