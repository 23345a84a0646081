import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsx = path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

describe('logUnhandledErrors', () => {
  it('logs an unhandled rejection and an uncaught exception, and the process lives on', async () => {
    const script = `
      import { logUnhandledErrors } from ${JSON.stringify(path.join(import.meta.dirname, 'process-errors.ts'))};
      logUnhandledErrors();
      Promise.reject(new Error('nobody caught this rejection'));
      setTimeout(() => { throw new Error('nobody caught this exception'); }, 10);
      setTimeout(() => console.log('still serving'), 50);
    `;
    const { stdout, stderr } = await promisify(execFile)(tsx, [
      '--input-type=module',
      '-e',
      script,
    ]);
    expect(stderr).toMatch(/Unhandled promise rejection .*nobody caught this rejection/s);
    expect(stderr).toMatch(/Uncaught exception .*nobody caught this exception/s);
    expect(stdout).toBe('still serving\n');
  });
});
