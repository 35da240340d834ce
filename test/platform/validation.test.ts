import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/context.js';
import { createOrg, createUser } from '../support/factories.js';

describe('validation errors', () => {
  it('name the field, the rule and the allowed values of a vocabulary in one error', async () => {
    const t = await createTestApp();
    const org = await createOrg(t.ctx);
    const user = await createUser(t.ctx, org, ['analyst']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: user.auth,
      payload: {
        schema: 'Person',
        properties: { name: ['X'] },
        handling: { tlp: 'TLP:PURPLE', codes: ['H0'] },
        evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
        crimeAreas: ['drug_trafficking'],
        purposes: ['criminal_investigation'],
        subjectCategory: 'suspect',
      },
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { field: string; rule: string; message: string }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'body.handling.tlp', rule: 'enum' });
    expect(errors[0]?.message).toContain('TLP:AMBER+STRICT');
  });
});
