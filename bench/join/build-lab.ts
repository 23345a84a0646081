import path from 'node:path';
import { build } from 'vite';

const web = path.join(import.meta.dirname, '..', '..', 'web');
const labHtml = path.join(web, 'lab', 'media.html');
const appHtml = path.join(web, 'index.html');

/**
 * Builds the media lab page with the project's Vite config into dist/web, where the app serves
 * it; with `app`, the web client's own page (index.html) too. Only those, and without emptying
 * dist/web: other runs (end-to-end tests) may be serving dist/web meanwhile.
 * `readable`: not minified, so a trace names the functions.
 */
export async function buildLab({ readable = false, app = false } = {}) {
  await build({
    logLevel: 'warn',
    build: { emptyOutDir: false, ...(readable ? { minify: false } : {}) },
    plugins: [
      {
        name: 'bench-media-lab-only',
        config(config) {
          config.build ??= {};
          config.build.rollupOptions = {
            ...config.build.rollupOptions,
            input: { 'media-lab': labHtml, ...(app ? { app: appHtml } : {}) },
          };
        },
      },
    ],
  });
}
