import { splitLines } from './lines.js';
import { entityEvent, isObject } from './shared.js';
import type { ExportableRecord, ParseEvent, ParserInput } from './types.js';

/**
 * Parses FollowTheMoney JSON lines (`{id, schema, properties}` per line) as a stream: one event per
 * non-blank line, in order, with its 1-based line number. Invalid JSON, a missing id or schema, a
 * schema records may not have, or invalid properties give `rejected` naming the property and rule;
 * entity-typed properties keep the source's ids for the importer to resolve.
 */
export async function* parseFtm(input: ParserInput): AsyncGenerator<ParseEvent> {
  for await (const { line, number } of splitLines(input)) {
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      yield { type: 'rejected', index: number, reason: `invalid JSON: ${(error as Error).message}` };
      continue;
    }
    if (!isObject(value)) {
      yield { type: 'rejected', index: number, reason: 'a line must hold a JSON object' };
      continue;
    }
    const { id, schema, properties } = value;
    if (typeof id !== 'string' || id.trim().length === 0) {
      yield { type: 'rejected', index: number, reason: 'id: required (missing or not a string)' };
      continue;
    }
    if (typeof schema !== 'string' || schema.length === 0) {
      yield { type: 'rejected', index: number, reason: 'schema: required (missing or not a string)' };
      continue;
    }
    const props = properties === undefined ? {} : properties;
    if (!isObject(props)) {
      yield { type: 'rejected', index: number, reason: 'properties: type (must be an object of lists)' };
      continue;
    }
    const badShape = Object.entries(props).find(
      ([, values]) => !Array.isArray(values) || values.some((v) => typeof v !== 'string'),
    );
    if (badShape) {
      yield {
        type: 'rejected',
        index: number,
        reason: `properties.${badShape[0]}: type (must be a list of strings)`,
      };
      continue;
    }
    yield entityEvent(number, {
      externalId: id.trim(),
      schema,
      properties: props as Record<string, string[]>,
    });
  }
}

/**
 * Serialises records as FollowTheMoney JSON lines, one `{id, schema, properties}` per record and
 * line (with its `\n`). Entity-typed properties already hold record ids, so the lines re-import
 * with their links intact; handling and provenance are deliberately not part of the FtM shape.
 */
export function* toFtmLines(records: Iterable<ExportableRecord>): Generator<string> {
  for (const record of records) {
    yield `${JSON.stringify({ id: record.id, schema: record.schema, properties: record.properties })}\n`;
  }
}
