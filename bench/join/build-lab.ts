import path from 'node:path';
import { build } from 'vite';

const labHtml = path.join(import.meta.dirname, '..', '..', 'web', 'lab', 'media.html');

/**
 * Builds the media lab page with the project's Vite config into dist/web, where the app serves
 * it. Only the lab, and without emptying dist/web: the rest of the web client is not needed here,
 * may be mid-edit, and other runs (end-to-end tests) may be serving dist/web meanwhile.
 * `readable`: not minified, so a trace names the functions.
 */
export async function buildLab({ readable = false } = {}) {
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
            input: { 'media-lab': labHtml },
          };
        },
      },
    ],
  });
}
