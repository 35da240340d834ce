#!/usr/bin/env node
// Runs the compiled CLI. `npm install` builds dist/ through the `prepare` script.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('entente: dist/ is missing. Run `npm install` (or `npm run build`) first.');
  process.exit(1);
}
await import(main);
