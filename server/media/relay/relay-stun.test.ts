import { Socket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRelay } from './relay.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createRelay (ICE-lite)', () => {
  it('asks no STUN server and offers its host address', async () => {
    const destinations: unknown[][] = [];
    const send = Socket.prototype.send;
    vi.spyOn(Socket.prototype, 'send').mockImplementation(function (
      this: Socket,
      ...args: unknown[]
    ) {
      destinations.push(args.slice(1));
      return (send as (...all: unknown[]) => void).apply(this, args);
    });
    const relay = createRelay({ port: 0, announcedIp: '127.0.0.1' });
    try {
      const { offer } = await relay.open('space', 'participant');
      expect(offer).toContain('typ host');
      expect(offer).not.toContain('typ srflx');
      expect(destinations.flat()).not.toContain('stun.l.google.com');
      expect(destinations.flat()).not.toContain(19302);
    } finally {
      await relay.stop();
    }
  });
});
