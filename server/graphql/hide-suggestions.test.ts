import { describe, expect, it } from 'vitest';
import { withoutSuggestions } from './hide-suggestions.ts';

describe('withoutSuggestions', () => {
  it('drops every form of graphql-js suggestion and keeps the rest of the message', () => {
    expect(withoutSuggestions('Unknown type "Spce". Did you mean "Space"?')).toBe(
      'Unknown type "Spce".',
    );
    expect(withoutSuggestions('Unknown argument "x". Did you mean "a" or "b"?')).toBe(
      'Unknown argument "x".',
    );
    expect(withoutSuggestions('Unknown type "S". Did you mean "A", "B", or "C"?')).toBe(
      'Unknown type "S".',
    );
    expect(
      withoutSuggestions('Value "LIV" does not exist. Did you mean the enum value "LIVE"?'),
    ).toBe('Value "LIV" does not exist.');
    expect(
      withoutSuggestions(
        'Cannot query field "x" on type "Node". Did you mean to use an inline fragment on "User" or "Space"?',
      ),
    ).toBe('Cannot query field "x" on type "Node".');
    expect(
      withoutSuggestions('Unknown field "titl". Did you mean "title"? Found: { titl: 1 }.'),
    ).toBe('Unknown field "titl". Found: { titl: 1 }.');
    expect(withoutSuggestions('Nothing to suggest here.')).toBe('Nothing to suggest here.');
  });
});
