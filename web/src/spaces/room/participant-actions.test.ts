import { describe, expect, it } from 'vitest';
import { availableActions, confirmationFor } from './participant-actions.ts';

const target = (role: 'HOST' | 'COHOST' | 'SPEAKER' | 'LISTENER', muted = true) => ({
  role,
  muted,
  invitedToSpeak: false,
  userId: `u-${role}`,
});

describe('availableActions', () => {
  it('lets the host act on everyone but themselves, blocking included', () => {
    const host = { role: 'HOST' as const, userId: 'me' };
    expect(availableActions(host, target('LISTENER'))).toEqual([
      'invite',
      'make-cohost',
      'remove',
      'block',
    ]);
    expect(availableActions(host, target('SPEAKER', false))).toEqual([
      'make-cohost',
      'mute',
      'move-to-listener',
      'remove',
      'block',
    ]);
    expect(availableActions(host, target('COHOST'))).toContain('remove-cohost');
    expect(availableActions(host, { ...target('HOST'), userId: 'me' })).toEqual([]);
  });

  it('lets a co-host act on speakers and listeners only, without blocking', () => {
    const cohost = { role: 'COHOST' as const, userId: 'me' };
    expect(availableActions(cohost, target('SPEAKER', false))).toEqual([
      'mute',
      'move-to-listener',
      'remove',
    ]);
    expect(availableActions(cohost, target('COHOST'))).toEqual([]);
    expect(availableActions(cohost, target('HOST'))).toEqual([]);
  });

  it('gives speakers, listeners and signed-out people nothing', () => {
    expect(availableActions({ role: 'SPEAKER', userId: 'me' }, target('LISTENER'))).toEqual([]);
    expect(availableActions(null, target('LISTENER'))).toEqual([]);
  });

  it('does not offer to invite someone already invited', () => {
    const host = { role: 'HOST' as const, userId: 'me' };
    expect(availableActions(host, { ...target('LISTENER'), invitedToSpeak: true })).not.toContain(
      'invite',
    );
  });

  it('does not offer to invite someone to co-host twice', () => {
    const host = { role: 'HOST' as const, userId: 'me' };
    expect(availableActions(host, { ...target('SPEAKER'), invitedAs: 'COHOST' })).not.toContain(
      'make-cohost',
    );
  });
});

describe('confirmationFor', () => {
  it('asks before removing or blocking, naming the person and what follows', () => {
    expect(confirmationFor('remove', 'Jordan Lee')).toBe(
      'Remove Jordan Lee from this space? They won’t be able to come back.',
    );
    expect(confirmationFor('block', 'Jordan Lee')).toContain('can’t join any of your spaces');
  });

  it('does not ask before actions that can be undone', () => {
    for (const action of [
      'invite',
      'make-cohost',
      'remove-cohost',
      'mute',
      'move-to-listener',
    ] as const) {
      expect(confirmationFor(action, 'Jordan Lee')).toBeNull();
    }
  });
});
