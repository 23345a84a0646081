// Twemoji artwork (CC-BY 4.0, by Twitter and jdecked), so reactions look the same everywhere,
// including Linux desktops without a colour emoji font. Only the reactions the server allows are
// bundled; tests/contract/reaction-emoji.test.ts fails when the server's list gains one.
const images = import.meta.glob<string>(
  '../../../node_modules/@twemoji/svg/{1f4af,1f602,2764,1f44f,270b,1f525,1f64f,1f914,1f622,1f44b,1f389,1f62e}.svg',
  { query: '?url', import: 'default', eager: true },
);

/** Twemoji's file name for an emoji: its code points, without FE0F unless it joins with ZWJ. */
export function twemojiName(emoji: string): string {
  const points = [...emoji].map((char) => (char.codePointAt(0) ?? 0).toString(16));
  const joined = points.includes('200d');
  return points.filter((point) => joined || point !== 'fe0f').join('-');
}

/** The bundled image of an emoji, or undefined when it is not bundled. */
export function emojiImage(emoji: string): string | undefined {
  const name = twemojiName(emoji);
  return Object.entries(images).find(([path]) => path.endsWith(`/${name}.svg`))?.[1];
}
