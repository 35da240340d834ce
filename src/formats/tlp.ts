import { TLP_LABELS, type TlpLabel, tlpRank } from '../domain/vocabulary.js';

/** The TLP 2.0 extension definition that TLP 2.0 marking definitions carry (OASIS cti-stix-common-objects). */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The OASIS-published TLP 2.0 marking-definition ids (cti-stix-common-objects, tlp-2.0 examples). */
export const TLP2_MARKING_IDS: Record<TlpLabel, string> = {
  'TLP:CLEAR': 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  'TLP:GREEN': 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  'TLP:AMBER': 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'TLP:AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'TLP:RED': 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

// TLP 1.0 markings predefined in STIX 2.0/2.1 (spec section 7.2.1.4); WHITE became CLEAR in TLP 2.0.
const TLP1_MARKING_IDS: Record<string, TlpLabel> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'TLP:CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'TLP:GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'TLP:AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'TLP:RED',
};

const BY_MARKING_ID: Record<string, TlpLabel> = {
  ...TLP1_MARKING_IDS,
  ...Object.fromEntries(Object.entries(TLP2_MARKING_IDS).map(([label, id]) => [id, label as TlpLabel])),
};

/** The TLP label a STIX marking-definition id stands for, or undefined for other markings. */
export function tlpFromMarkingId(id: string): TlpLabel | undefined {
  return BY_MARKING_ID[id];
}

/**
 * The TLP label a word names (`clear`, `white`, `amber+strict`, `TLP:RED`, case-insensitive), or
 * undefined. TLP 1.0's WHITE maps to TLP 2.0's CLEAR.
 */
export function tlpFromWord(word: string): TlpLabel | undefined {
  const w = word.trim().toLowerCase().replace(/^tlp:/, '');
  if (w === 'white') return 'TLP:CLEAR';
  return TLP_LABELS.find((label) => label.toLowerCase() === `tlp:${w}`);
}

/** The most restrictive of the labels (undefined for none): a bundle of mixed labels shares as its strictest. */
export function mostRestrictive(labels: Iterable<TlpLabel | undefined>): TlpLabel | undefined {
  let best: TlpLabel | undefined;
  for (const label of labels) {
    if (label && (!best || tlpRank(label) > tlpRank(best))) best = label;
  }
  return best;
}

/** Narrows a stored label string (ExportableRecord.handling.tlp) to a TLP label; unknown → RED, the safe side. */
export function asTlpLabel(value: string): TlpLabel {
  return tlpFromWord(value) ?? 'TLP:RED';
}
