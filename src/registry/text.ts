/**
 * The one sanitiser for text that came from the network (a registry's error message, a header, a media type):
 * before it reaches a log line, an annotation, an error or a summary, it is made printable on one line and
 * cannot start a workflow command. Registries, their CDNs and token services are untrusted input.
 */

/** Characters a log line must not carry: C0/C1 controls (CR, LF, ESC ...), line and paragraph separators, bidi controls. */
const UNSAFE = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `text` as one printable line: every unsafe character becomes `?`, a leading `::` (a workflow command) is
 * broken up, and anything longer than `max` characters is cut with an ellipsis.
 */
export function printable(text: string, max = 300): string {
  let line = text.replace(UNSAFE, '?');
  if (line.trimStart().startsWith('::')) line = `: ${line.trimStart().slice(1)}`;
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max).join('')}...` : line;
}

/** A media type, strictly (RFC 6838 type/subtype, no parameters), or undefined. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function isMediaType(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_TYPE.test(value);
}
