import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Viewer } from '../context.ts';
import type { Services } from '../services.ts';
import {
  createContextFactory,
  SOCKET_VIEWER_RECHECK_MS,
  SOCKET_VIEWER_REFRESH_MS,
} from './request-context.ts';

const req = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;

/** A context factory whose viewer lookups are counted; each lookup finds the next user. */
function factory() {
  let lookups = 0;
  const build = createContextFactory(
    {} as PrismaClient,
    { spaces: { mayHear: async () => true } } as unknown as Services,
    async (): Promise<Viewer> => {
      lookups++;
      return { userId: `user-${lookups}`, via: 'token' };
    },
  );
  return { build, lookups: () => lookups };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createContextFactory', () => {
  it("looks a socket's viewer up once per recheck period, and an HTTP request's every time", async () => {
    vi.useFakeTimers();
    const { build, lookups } = factory();
    const socket = {};
    const first = await build({ req, socket });
    const second = await build({ req, socket });
    expect([first.viewer?.userId, second.viewer?.userId]).toEqual(['user-1', 'user-1']);
    expect((await build({ req, socket: {} })).viewer?.userId).toBe('user-2');
    expect((await build({ req })).viewer?.userId).toBe('user-3');
    expect((await build({ req })).viewer?.userId).toBe('user-4');

    vi.advanceTimersByTime(SOCKET_VIEWER_RECHECK_MS);
    expect((await build({ req, socket })).viewer?.userId).toBe('user-5');
    expect(lookups()).toBe(5);
  });

  it('uses a socket past half its recheck period at once, looking its viewer up meanwhile', async () => {
    vi.useFakeTimers();
    let release = () => {};
    let lookups = 0;
    const build = createContextFactory(
      {} as PrismaClient,
      { spaces: { mayHear: async () => true } } as unknown as Services,
      async (): Promise<Viewer | null> => {
        lookups++;
        if (lookups === 1) return { userId: 'signed-in', via: 'session' };
        // The session has ended since; its lookup takes until released.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return null;
      },
    );
    const socket = {};
    await build({ req, socket });
    vi.advanceTimersByTime(SOCKET_VIEWER_REFRESH_MS);
    // Not waiting for the lookup it starts: the viewer was checked within the recheck period.
    expect((await build({ req, socket })).viewer?.userId).toBe('signed-in');
    expect((await build({ req, socket })).viewer?.userId).toBe('signed-in');
    expect(lookups).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect((await build({ req, socket })).viewer).toBeNull();
  });

  it('asks again after a failed lookup', async () => {
    let calls = 0;
    const build = createContextFactory(
      {} as PrismaClient,
      { spaces: { mayHear: async () => true } } as unknown as Services,
      async (): Promise<Viewer> => {
        calls++;
        if (calls === 1) throw new Error('database unavailable');
        return { userId: 'back', via: 'session' };
      },
    );
    const socket = {};
    await expect(build({ req, socket })).rejects.toThrow('database unavailable');
    expect((await build({ req, socket })).viewer?.userId).toBe('back');
  });
});
