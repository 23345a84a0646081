/** Lower case words without punctuation, as recognisers write them. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replaceAll(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/** Word-level edit distance: substitutions, deletions and insertions to turn one into the other. */
export function wordEdits(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = previous[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[hypothesis.length]!;
}

/** Word error rate: edits over the reference's word count (can exceed 1 with many insertions). */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const expected = wordsOf(reference);
  if (expected.length === 0) throw new RangeError('The reference has no words.');
  return wordEdits(expected, wordsOf(hypothesis)) / expected.length;
}
