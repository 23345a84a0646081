import { describe, expect, it } from 'vitest';
import { reactionEmojis } from '../../server/spaces/space-input.ts';
import { emojiImage, twemojiName } from '../../web/src/ui/emoji-images.ts';

describe('reaction emoji artwork', () => {
  it('bundles an image for every reaction the server accepts', () => {
    const missing = reactionEmojis.filter((emoji) => !emojiImage(emoji));
    expect(missing).toEqual([]);
  });

  it('names emoji as Twemoji does: variation selectors dropped unless joined', () => {
    expect(twemojiName('❤️')).toBe('2764');
    expect(twemojiName('👩‍❤️‍👨')).toBe('1f469-200d-2764-fe0f-200d-1f468');
  });
});
