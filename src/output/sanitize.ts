// C0 controls, DEL, C1 controls, and the Unicode bidirectional controls (LRE..RLO, LRI..PDI, LRM,
// RLM, ALM), which can reorder the text on screen.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

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
