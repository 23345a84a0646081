import { build } from 'vite';

// The end-to-end tests drive the built web client, served by the app like in production.
export default async function buildWebClient() {
  await build({ logLevel: 'warn' });
}
