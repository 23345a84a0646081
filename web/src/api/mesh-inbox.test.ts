import type { Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import type { Api } from './graphql-client.ts';
import { graphqlSignalling } from './media-signalling.ts';
import { openMeshInbox } from './mesh-inbox.ts';

/** An API whose meshSignals subscriptions the test feeds by hand. */
function signalsApi() {
  const subscriptions: {
    onData: (data: unknown) => void;
    onError: (error: unknown) => void;
    closed: boolean;
  }[] = [];
  const api: Api = {
    client: {} as Client,
    request: () => Promise.reject(new Error('no requests here')),
    subscribe(query, _variables, onData, onError = () => {}) {
      if (!query.includes('meshSignals')) throw new Error(`unexpected: ${query}`);
      const subscription = { onData: onData as (data: unknown) => void, onError, closed: false };
      subscriptions.push(subscription);
      return () => {
        subscription.closed = true;
      };
    },
    close: () => {},
  };
  const deliver = (index: number, from: string, signal: object) =>
    subscriptions[index]?.onData({
      meshSignals: { fromParticipantId: from, signal: JSON.stringify(signal) },
    });
  return { api, subscriptions, deliver };
}

const offer = { type: 'offer', sdp: 'v=0', peerSession: 's1' };
const candidate = { type: 'candidate', candidate: { candidate: 'c' }, peerSession: 's1' };

describe('openMeshInbox', () => {
  it('gives the room connection the offer that came before it existed, then what follows', () => {
    const { api, subscriptions, deliver } = signalsApi();
    const inbox = openMeshInbox(api, 'space');
    deliver(0, 'speaker', offer);

    const signalling = graphqlSignalling(api, 'space', 'me', null, inbox);
    const received: unknown[] = [];
    const stop = signalling.onSignal((from, signal) => received.push([from, signal]));
    deliver(0, 'speaker', candidate);

    expect(received).toEqual([
      ['speaker', offer],
      ['speaker', candidate],
    ]);
    expect(subscriptions).toHaveLength(1);
    stop();
    expect(subscriptions[0]?.closed).toBe(true);
  });

  it('is read once: a later room connection subscribes afresh', () => {
    const { api, subscriptions } = signalsApi();
    const signalling = graphqlSignalling(api, 'space', 'me', null, openMeshInbox(api, 'space'));
    signalling.onSignal(() => {});
    signalling.onSignal(() => {});
    expect(subscriptions).toHaveLength(2);
  });

  it('is passed over once closed: the reader subscribes afresh', () => {
    const { api, subscriptions } = signalsApi();
    const inbox = openMeshInbox(api, 'space');
    inbox.close();
    expect(subscriptions[0]?.closed).toBe(true);
    graphqlSignalling(api, 'space', 'me', null, inbox).onSignal(() => {});
    expect(subscriptions).toHaveLength(2);
  });

  it('is passed over once its subscription failed (refused before the join, say)', () => {
    const { api, subscriptions } = signalsApi();
    const inbox = openMeshInbox(api, 'space');
    subscriptions[0]?.onError(new Error('NotAllowed'));
    graphqlSignalling(api, 'space', 'me', null, inbox).onSignal(() => {});
    expect(subscriptions).toHaveLength(2);
  });
});
