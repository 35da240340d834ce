import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';

/** Placeholder until this feature's routes are written. */
export const importRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async () => {};
