import { build } from 'vite';
import solid from 'vite-plugin-solid';

// The end-to-end tests drive the built web client, served by the app like in production. Under
// vitest the config leaves Solid out (see vite.config.ts), so the build adds it back.
export default async function buildWebClient() {
  await build({ logLevel: 'warn', plugins: [solid()] });
}
