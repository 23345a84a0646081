import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config.ts';
import { relayPoolReach } from './relay-for.ts';

const withRelay = (relay: Partial<typeof defaultConfig.media.relay>, redisUrl?: string) => ({
  ...defaultConfig,
  redisUrl,
  media: { ...defaultConfig.media, relay: { ...defaultConfig.media.relay, workers: 2, ...relay } },
});

describe('what a relay worker pool reaches beyond its process', () => {
  it('pipes with the other instances only when they share a Redis, on the loopback by default', () => {
    expect(relayPoolReach(withRelay({}))).toEqual({});
    expect(relayPoolReach(withRelay({}, 'redis://127.0.0.1:6379'))).toEqual({
      federation: { redisUrl: 'redis://127.0.0.1:6379', prefix: 'amphi:' },
    });
  });

  it('opens the pipes to other hosts at the announced pipe address', () => {
    const reach = relayPoolReach(
      withRelay({ pipe: { host: '10.0.0.5', port: 40100 } }, 'redis://cache:6379'),
    );
    expect(reach.pipe).toEqual({ bindAddress: '0.0.0.0', host: '10.0.0.5', port: 40100 });
    const remote = relayPoolReach(
      withRelay(
        { remote: { prefix: 'x:', pipeHost: 'fd00::5', pipePort: 0 } },
        'redis://cache:6379',
      ),
    );
    expect(remote).toMatchObject({
      federation: { prefix: 'x:' },
      remote: { prefix: 'x:' },
      pipe: { bindAddress: '::', host: 'fd00::5', port: 0 },
    });
  });
});
