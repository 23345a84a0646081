import { describe, expect, it } from 'vitest';
import { nextCaptionLines } from './caption-lines.ts';

const partial = (participantId: string, text: string) => ({ participantId, text, final: false });
const final = (participantId: string, text: string) => ({ participantId, text, final: true });

describe('nextCaptionLines', () => {
  it('settles a speaker’s words in place until the final, then starts a new line', () => {
    let lines = nextCaptionLines([], partial('ann', 'the quick'));
    lines = nextCaptionLines(lines, partial('ann', 'the quick brown'));
    expect(lines).toEqual([partial('ann', 'the quick brown')]);
    lines = nextCaptionLines(lines, final('ann', 'the quick brown fox'));
    lines = nextCaptionLines(lines, partial('ann', 'jumps'));
    expect(lines).toEqual([final('ann', 'the quick brown fox'), partial('ann', 'jumps')]);
  });

  it('keeps speakers on their own lines and drops the oldest beyond the limit', () => {
    let lines = nextCaptionLines([], partial('ann', 'hello'));
    lines = nextCaptionLines(lines, partial('bob', 'hi'));
    lines = nextCaptionLines(lines, partial('ann', 'hello there'));
    expect(lines).toEqual([partial('ann', 'hello there'), partial('bob', 'hi')]);
    lines = nextCaptionLines(lines, final('bob', 'hi all'));
    lines = nextCaptionLines(lines, partial('cid', 'so'), 2);
    expect(lines).toEqual([final('bob', 'hi all'), partial('cid', 'so')]);
  });
});
