// C0 controls, DEL, C1 controls (which include the 8-bit CSI and OSC), and the Unicode
// bidirectional controls (LRE..RLO, LRI..PDI, LRM, RLM, ALM), which can reorder the text on screen.
// Also the line and paragraph separators, which some terminals break lines on, and the invisible
// zero width space, word joiner, invisible operators and byte order mark, which can make two
// different hashes or addresses look the same. The zero width joiner and non-joiner stay, because
// emoji sequences and several scripts need them.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/**
 * Shows every control character of server-supplied text as a visible escape (`\x1b`, `\u202e`),
 * so that a hostile string cannot move the cursor, clear the screen, write the clipboard (OSC 52)
 * or reorder text. Printable text, CJK and emoji pass unchanged.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
