import stringWidth from 'string-width';

/**
 * Display width in terminal columns, measured by string-width 8: East Asian wide characters and
 * emoji take 2 columns, combining marks and zero-width characters none, ANSI escapes none.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/**
 * Cuts plain text (no ANSI escapes) to at most `width` columns, ending with `…` when something
 * was cut. Cuts between grapheme clusters, so an emoji or a CJK character is never split.
 */
export function truncateEnd(text: string, width: number): string {
  if (displayWidth(text) <= width) {
    return text;
  }
  if (width <= 0) {
    return '';
  }
  let kept = '';
  let used = 0;
  for (const grapheme of graphemes(text)) {
    const next = displayWidth(grapheme);
    if (used + next > width - 1) {
      break;
    }
    kept += grapheme;
    used += next;
  }
  return `${kept}…`;
}

/**
 * Cuts plain text to at most `width` columns by removing its middle, so that both ends of a hash
 * or an address stay readable: `00000000…4558d6`.
 */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) {
    return text;
  }
  if (width < 5) {
    return truncateEnd(text, width);
  }
  const parts = graphemes(text);
  const tailWidth = Math.floor((width - 1) / 2);
  const headWidth = width - 1 - tailWidth;

  let head = '';
  let used = 0;
  for (const part of parts) {
    const next = displayWidth(part);
    if (used + next > headWidth) {
      break;
    }
    head += part;
    used += next;
  }

  let tail = '';
  used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? '';
    const next = displayWidth(part);
    if (used + next > tailWidth) {
      break;
    }
    tail = part + tail;
    used += next;
  }
  return `${head}…${tail}`;
}

/** Pads plain text with spaces to exactly `width` columns; the text must already fit. */
export function padToWidth(text: string, width: number, align: 'left' | 'right'): string {
  const padding = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + padding : padding + text;
}
