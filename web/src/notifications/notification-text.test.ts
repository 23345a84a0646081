import { describe, expect, it } from 'vitest';
import { describeNotification, type NotificationKind } from './notification-text.ts';

const about = (kind: NotificationKind) => ({
  kind,
  space: { title: 'Designing for the ear', host: { displayName: 'Maya Chen' } },
});

describe('describeNotification', () => {
  it('invites reminder holders to join a space that went live', () => {
    expect(describeNotification(about('SPACE_STARTED'))).toEqual({
      title: 'Maya Chen is live',
      body: 'Designing for the ear',
      action: 'Join',
    });
  });

  it('tells of canceled and missed spaces with nothing to join', () => {
    expect(describeNotification(about('SPACE_CANCELED'))).toMatchObject({
      body: 'Maya Chen canceled “Designing for the ear”.',
      action: null,
    });
    expect(describeNotification(about('SPACE_MISSED')).action).toBeNull();
  });

  it('sends the host to their space to start it', () => {
    expect(describeNotification(about('HOST_STARTS_SOON'))).toMatchObject({
      title: 'Your space starts in 30 minutes',
      action: 'Open',
    });
    expect(describeNotification(about('HOST_START_NOW')).action).toBe('Open');
  });
});
