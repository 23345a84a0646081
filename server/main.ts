import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { pocketsphinxProblem } from './captions/pocketsphinx/pocketsphinx-check.ts';
import type { AppConfig } from './config.ts';
import { configFromEnv } from './env.ts';
import { webClientDir } from './http/web-client.ts';
import { nativeSrtpProblem } from './media/relay/native-srtp.ts';
import { logUnhandledErrors } from './process-errors.ts';
import { startBanner } from './start-banner.ts';

logUnhandledErrors();
const configured = configFromEnv();
const captionsProblem =
  configured.captions.engine === 'pocketsphinx'
    ? pocketsphinxProblem(configured.captions.pocketsphinx)
    : null;
// Without an engine that runs, captions are off (a typed error), not a failure in the first space.
const config: AppConfig = captionsProblem
  ? { ...configured, captions: { ...configured.captions, engine: 'off' } }
  : configured;
const app = await buildApp(config);
const { port } = await app.start();
for (const line of startBanner({
  config,
  port,
  webClientBuilt: existsSync(path.join(webClientDir, 'index.html')),
  secret: app.authSecretOrigin,
  demo: app.demo,
  captionsProblem,
  nativeSrtpProblem: nativeSrtpProblem ?? null,
})) {
  console.log(line);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('Amphi is shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
