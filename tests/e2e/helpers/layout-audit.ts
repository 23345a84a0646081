import type { Page } from 'playwright-core';

/**
 * What a person can click or read as a block: controls, cards and notices. Two of these drawn on
 * top of each other means one hides the other.
 */
const BLOCKS = [
  'button',
  'a[href]',
  'input',
  'select',
  'textarea',
  '[role="button"]',
  '[role="toolbar"]',
  '.card',
  '.space-card',
  '.speaker-tile',
  '.listener',
  '.request',
  '.alert',
].join(', ');

/**
 * Looks at the page as it is drawn now and returns what a person could not use or read, one
 * sentence each (empty when the layout is sound):
 * - two visible controls or cards overlap (an element and what it contains are not compared).
 *   Two things pinned to the window (fixed or sticky) must never overlap: scrolling moves neither.
 *   Something that scrolls with the page counts as hidden under a pinned bar when it lies under
 *   it at every scroll position where it is on screen;
 * - text overflows its box: spills out of it, is cut without an ellipsis and a `title` holding the
 *   full text, or runs past the edge of the window.
 * The page is scrolled to sample positions and back to the top.
 */
export async function auditLayout(page: Page): Promise<string[]> {
  return page.evaluate(inspect, BLOCKS);
}

// Runs in the page, so it must stay self-contained: no imports, no helpers from this module.
async function inspect(selector: string): Promise<string[]> {
  const problems: string[] = [];
  const root = document.scrollingElement ?? document.documentElement;
  const settle = () =>
    new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const shown = (element: Element) =>
    element.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
    element.getBoundingClientRect().width > 1 &&
    element.getBoundingClientRect().height > 1;
  const name = (element: Element) => {
    const classes = [...element.classList].slice(0, 3).join('.');
    const label =
      element.getAttribute('aria-label') ??
      element.getAttribute('data-testid') ??
      (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    const short = label.length > 40 ? `${label.slice(0, 39)}…` : label;
    return `<${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''}>${short ? ` "${short}"` : ''}`;
  };
  // The fixed or sticky box an element moves with, or null when it scrolls with the page.
  const layerOf = (element: Element): Element | null => {
    for (let at: Element | null = element; at && at !== document.body; at = at.parentElement) {
      const position = getComputedStyle(at).position;
      if (position === 'fixed' || position === 'sticky') return at;
    }
    return null;
  };
  const clips = (value: string) => value === 'hidden' || value === 'clip';
  const overlap = (a: DOMRect, b: DOMRect) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const onScreen = (rect: DOMRect) =>
    rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth;

  window.scrollTo({ top: 0, behavior: 'instant' });
  await settle();
  const blocks = [...document.querySelectorAll(selector)].filter(
    // The skip link waits above the page until it is focused.
    (element) => shown(element) && element.getBoundingClientRect().bottom > 0,
  );
  const layers = blocks.map(layerOf);

  const samples: number[] = [];
  const end = root.scrollHeight - innerHeight;
  for (let top = 0; top < end; top += Math.max(100, Math.floor(innerHeight / 3))) samples.push(top);
  samples.push(Math.max(0, end));
  const rects: DOMRect[][] = [];
  for (const top of samples) {
    window.scrollTo({ top, behavior: 'instant' });
    await settle();
    rects.push(blocks.map((element) => element.getBoundingClientRect()));
  }
  window.scrollTo({ top: 0, behavior: 'instant' });
  await settle();

  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i]!;
      const b = blocks[j]!;
      if (a.contains(b) || b.contains(a)) continue;
      if (layers[i] === layers[j]) {
        if (overlap(rects[0]![i]!, rects[0]![j]!)) problems.push(`${name(a)} overlaps ${name(b)}`);
        continue;
      }
      const seen = rects.filter((at) => onScreen(at[i]!) && onScreen(at[j]!));
      if (layers[i] && layers[j]) {
        if (seen.some((at) => overlap(at[i]!, at[j]!))) {
          problems.push(`${name(a)} and ${name(b)} overlap, both pinned to the window`);
        }
      } else if (seen.length > 0 && seen.every((at) => overlap(at[i]!, at[j]!))) {
        const [over, under] = layers[i] ? [a, b] : [b, a];
        problems.push(`${name(under)} is under ${name(over)} at every scroll position`);
      }
    }
  }

  const titled = (element: Element, text: string) =>
    (element.closest('[title]')?.getAttribute('title') ?? '').includes(text);
  for (const element of document.body.querySelectorAll('*')) {
    if (element.matches('input, select, textarea, svg, svg *, img, .visually-hidden')) continue;
    if (element.closest('.visually-hidden') || !shown(element)) continue;
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    if (!text) continue;
    const style = getComputedStyle(element);
    // Text cut by a clipping box is judged on that box, below.
    let left = 0;
    let right = innerWidth;
    for (let at = element.parentElement; at && at !== document.body; at = at.parentElement) {
      if (!clips(getComputedStyle(at).overflowX)) continue;
      left = Math.max(left, at.getBoundingClientRect().left);
      right = Math.min(right, at.getBoundingClientRect().right);
    }
    for (const box of element.getClientRects()) {
      if (Math.min(box.right, right) > innerWidth + 1 || Math.max(box.left, left) < -1) {
        problems.push(`${name(element)} runs past the edge of the window`);
        break;
      }
    }
    // Inline boxes have no scroll size of their own; their block shows any overflow.
    if (style.display === 'inline') continue;
    const cutAcross = element.scrollWidth > element.clientWidth + 1;
    const cutDown = element.scrollHeight > element.clientHeight + 2;
    if (cutAcross && !clips(style.overflowX)) {
      if (style.overflowX === 'visible') {
        problems.push(`${name(element)}: text spills out of its box`);
      }
      continue;
    }
    const cut = (cutAcross && clips(style.overflowX)) || (cutDown && clips(style.overflowY));
    if (!cut) continue;
    const marked = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
    if (!marked || !titled(element, text)) {
      problems.push(
        `${name(element)}: text is cut ${marked ? 'and its full text is in no title' : 'with no ellipsis'}`,
      );
    }
  }
  const wider = root.scrollWidth - innerWidth;
  if (wider > 1) problems.push(`the page is ${wider}px wider than the window`);
  return problems;
}
