/** WWW-Authenticate parsing: `Bearer realm="...",service="...",scope="..."` and `Basic realm="..."`. */

export interface Challenge {
  scheme: string; // lower-cased: 'bearer', 'basic', ...
  params: Record<string, string>;
}

/**
 * Parses one header value, which may hold several challenges (`Basic realm="a", Bearer realm="b"`).
 * Parameter names are lower-cased; quoted values may contain commas and escaped quotes.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  if (!header) return challenges;
  let i = 0;
  const n = header.length;
  const skip = (chars: string) => {
    while (i < n && chars.includes(header.charAt(i))) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && !' \t,="'.includes(header.charAt(i))) i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skip(' \t,');
    const word = token();
    if (!word) {
      i++;
      continue;
    }
    skip(' \t');
    if (header.charAt(i) === '=' && current) {
      i++;
      skip(' \t');
      let value = '';
      if (header.charAt(i) === '"') {
        for (i++; i < n && header.charAt(i) !== '"'; i++) {
          if (header.charAt(i) === '\\' && i + 1 < n) i++;
          value += header.charAt(i);
        }
        i++;
      } else {
        value = token();
      }
      current.params[word.toLowerCase()] = value;
    } else {
      current = { scheme: word.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}
