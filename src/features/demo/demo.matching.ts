import type { AppContext } from '../../context.js';
import type { Actor } from '../../platform/auth/actor.js';
import { systemActorFor } from '../../platform/auth/system-actor.js';
import { decideDisclosure, requestDisclosure } from '../matching/disclosures.service.js';
import { drainMatchQueue } from '../matching/matching.engine.js';
import { type DemoOrgKey, demoOrg } from './demo.organizations.js';
import { demoEmail } from './demo.users.js';

/*
 * Matching in the demo: the demo records are matched like any others (the triggers queued them),
 * then two disclosure requests show the follow-up a newcomer would otherwise have to create:
 * Guayas asks Kestrel about a vessel (pending: analyst@kestrel has a request to decide, with its
 * deadline), and Kestrel asked Protea about a person, which Protea disclosed in part (analyst@kestrel
 * sees the side-by-side view).
 */

async function demoActor(ctx: AppContext, org: DemoOrgKey, local: string): Promise<Actor> {
  const actor = await systemActorFor(ctx.db, demoEmail({ org, local }));
  if (!actor) throw new Error(`demo user ${local}@${org} is missing`);
  return actor;
}

/** The open hit between two demo organizations whose records' captions contain the given text. */
async function hitBetween(ctx: AppContext, from: DemoOrgKey, to: DemoOrgKey, caption: string) {
  const [fromId = '', toId = ''] = await Promise.all(
    [from, to].map(
      async (key) =>
        (
          await ctx.db
            .selectFrom('organizations')
            .select('id')
            .where('slug', '=', demoOrg(key).slug)
            .executeTakeFirstOrThrow()
        ).id,
    ),
  );
  return ctx.db
    .selectFrom('match_hits as h')
    .innerJoin('records as r', 'r.id', 'h.record_a')
    .innerJoin('records as s', 's.id', 'h.record_b')
    .select(['h.id'])
    .where('h.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb.and([eb('h.org_a', '=', fromId), eb('h.org_b', '=', toId)]),
        eb.and([eb('h.org_a', '=', toId), eb('h.org_b', '=', fromId)]),
      ]),
    )
    .where((eb) =>
      eb.or([eb('r.caption', 'ilike', `%${caption}%`), eb('s.caption', 'ilike', `%${caption}%`)]),
    )
    .orderBy('h.score', 'desc')
    .executeTakeFirst();
}

/** Matches the demo records and adds the two disclosure requests; returns a line for the load summary. */
export async function loadDemoMatching(ctx: AppContext): Promise<string> {
  const run = await drainMatchQueue(ctx);
  let requests = 0;
  const vessel = await hitBetween(ctx, 'guayas', 'kestrel', 'Pacific Verity');
  if (vessel) {
    await requestDisclosure(ctx, await demoActor(ctx, 'guayas', 'analyst'), {
      hitId: vessel.id,
      purpose: 'criminal_investigation',
      justification:
        'The vessel called at Guayaquil twice this quarter with containers flagged by our risk profile; we need its ownership and last port calls.',
    });
    requests++;
  }
  const person = await hitBetween(ctx, 'kestrel', 'protea', 'Papadopoulos');
  if (person) {
    const request = await requestDisclosure(ctx, await demoActor(ctx, 'kestrel', 'analyst'), {
      hitId: person.id,
      purpose: 'criminal_investigation',
      justification:
        'Named as the buyer of two containers in our Mombasa seizure; we need to confirm his identity.',
    });
    const owner = await demoActor(ctx, 'protea', 'analyst');
    const held = await ctx.db
      .selectFrom('match_disclosures as d')
      .innerJoin('records as r', 'r.id', 'd.record_id')
      .select('r.properties')
      .where('d.id', '=', request.id)
      .executeTakeFirstOrThrow();
    const wanted = ['name', 'birthDate', 'nationality', 'firstName', 'lastName'].filter(
      (p) => (held.properties[p] ?? []).length > 0,
    );
    await decideDisclosure(ctx, owner, request.id, {
      decision: 'disclose',
      ...(wanted.length > 0 ? { properties: wanted } : {}),
    });
    requests++;
  }
  return `${run.indexed} records matched, ${run.hits.created} hits, ${requests} disclosure requests`;
}
