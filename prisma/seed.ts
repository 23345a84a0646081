import { buildApp } from '../server/app.ts';
import { seedDemoData } from '../server/demo-data.ts';
import { configFromEnv } from '../server/env.ts';

// `npm run seed`: adds the demo world to the configured database, even if it is not empty.
const app = await buildApp({ ...configFromEnv(), seedWhenEmpty: false });
const { space, users } = await seedDemoData(app.prisma, app.auth, app.services);
console.log(`Seeded users ${Object.keys(users).join(', ')} and live space ${space.id}.`);
await app.stop();
