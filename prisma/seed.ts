import { buildApp } from '../server/app.ts';
import { demoPassword, seedDemoData } from '../server/demo-data.ts';
import { configFromEnv } from '../server/env.ts';

// `npm run seed`: adds the demo world to the configured database, even if it is not empty.
const config = configFromEnv();
const app = await buildApp({ ...config, seedWhenEmpty: false });
const { password, keptIn } = await demoPassword(config.database);
const { space, users } = await seedDemoData(app.prisma, app.auth, app.services, password);
console.log(`Seeded users ${Object.keys(users).join(', ')} and live space ${space.id}.`);
console.log(`Their password: ${password}${keptIn ? ` (kept in ${keptIn})` : ''}`);
await app.stop();
