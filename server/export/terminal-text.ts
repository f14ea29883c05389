/**
 * Text from outside made safe to print on a terminal (non-negotiable 10): a reference or a name
 * holding `ESC[2J` would clear the operator's screen, and other control sequences can move the
 * cursor, rewrite what is shown, or set the window's title. Every C0 and C1 control character
 * except a line break and a tab is shown as its escape (`\u001b`), so the bytes are visible and
 * nothing is interpreted.
 * @module
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters, so they can be shown as escapes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
