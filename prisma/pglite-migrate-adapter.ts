import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

type ShadowAdapter = Awaited<ReturnType<PrismaPGlite['connect']>>;

/**
 * PGlite adapter for Prisma's migration commands. The schema engine replays whole migration files
 * on the shadow database through `executeRaw`, and one prepared statement cannot hold several
 * commands, so argument-free statements go through `exec` instead.
 */
export class PrismaPGliteMigrate extends PrismaPGlite {
  override async connectToShadowDb(): Promise<ShadowAdapter> {
    const shadow = new PGlite();
    const adapter = await new PrismaPGlite(shadow).connect();
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await shadow.exec(query.sql);
      return 0;
    };
    return adapter;
  }
}
