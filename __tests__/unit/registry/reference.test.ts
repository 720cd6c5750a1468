import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_REGISTRY,
  InvalidReferenceError,
  MAX_TAG_LENGTH,
  TAG_RULE,
  formatReference,
  isLoopbackRegistry,
  parseReference,
  registryProblem,
  repositoryOf,
  validateDigest,
  validateTag,
  withDigest,
  withTag,
  type Reference,
} from '../../../src/registry/reference.js';

const SHA256 = `sha256:${'a1'.repeat(32)}`;
const SHA512 = `sha512:${'0f'.repeat(64)}`;
const BAD_DIGEST = 'sha256:82jf9a84u29hiasldj289498uhois8498hjs29hkuhs';

/** The error `fn` throws, checked to be an InvalidReferenceError. */
function errorOf(fn: () => unknown): InvalidReferenceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidReferenceError);
    if (error instanceof InvalidReferenceError) return error;
  }
  throw new Error('expected an InvalidReferenceError, nothing was thrown');
}

describe('parseReference: valid references', () => {
  const cases: [string, Reference][] = [
    ['ghcr.io/org/team/app', { registry: 'ghcr.io', repository: 'org/team/app', lowercased: false }],
    [
      '127.0.0.1:5100/octo-org/x:Tag_1',
      { registry: '127.0.0.1:5100', repository: 'octo-org/x', tag: 'Tag_1', lowercased: false },
    ],
    ['localhost:5000/a', { registry: 'localhost:5000', repository: 'a', lowercased: false }],
    ['localhost/a/b', { registry: 'localhost', repository: 'a/b', lowercased: false }],
    ['[::1]:5000/a/b:t', { registry: '[::1]:5000', repository: 'a/b', tag: 't', lowercased: false }],
    ['[::1]/a', { registry: '[::1]', repository: 'a', lowercased: false }],
    ['busybox', { registry: 'ghcr.io', repository: 'busybox', lowercased: false }],
    ['busybox:1.36', { registry: 'ghcr.io', repository: 'busybox', tag: '1.36', lowercased: false }],
    ['octo-org/app', { registry: 'ghcr.io', repository: 'octo-org/app', lowercased: false }],
    [
      'Ghcr.IO/Octo-Org/App:MyTag',
      { registry: 'ghcr.io', repository: 'octo-org/app', tag: 'MyTag', lowercased: true },
    ],
    ['Octo-Org/App', { registry: 'ghcr.io', repository: 'octo-org/app', lowercased: true }],
    [
      'ghcr.io/owner/app:latest',
      { registry: 'ghcr.io', repository: 'owner/app', tag: 'latest', lowercased: false },
    ],
    [`ghcr.io/o/i@${SHA256}`, { registry: 'ghcr.io', repository: 'o/i', digest: SHA256, lowercased: false }],
    [`ghcr.io/o/i@${SHA512}`, { registry: 'ghcr.io', repository: 'o/i', digest: SHA512, lowercased: false }],
    [
      `ghcr.io/o/repo:1.0@${SHA256}`,
      { registry: 'ghcr.io', repository: 'o/repo', tag: '1.0', digest: SHA256, lowercased: false },
    ],
    ['  ghcr.io/o/i:v1 \n', { registry: 'ghcr.io', repository: 'o/i', tag: 'v1', lowercased: false }],
    [
      'registry.example.com:443/a.b/c_d/e__f/g---h/i9',
      { registry: 'registry.example.com:443', repository: 'a.b/c_d/e__f/g---h/i9', lowercased: false },
    ],
    [
      `ghcr.io/o/i:_${'x'.repeat(127)}`,
      { registry: 'ghcr.io', repository: 'o/i', tag: `_${'x'.repeat(127)}`, lowercased: false },
    ],
    [`ghcr.io/${'a'.repeat(255)}`, { registry: 'ghcr.io', repository: 'a'.repeat(255), lowercased: false }],
  ];

  it.each(cases)('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('uses options.defaultRegistry for a reference without a registry', () => {
    expect(parseReference('octo-org/app', { defaultRegistry: 'LocalHost:5102' })).toEqual({
      registry: 'localhost:5102',
      repository: 'octo-org/app',
      lowercased: false,
    });
    expect(parseReference('r.io/o/a', { defaultRegistry: 'localhost:5102' }).registry).toBe('r.io');
  });

  it('defaults to ghcr.io and adds no library/ prefix', () => {
    expect(DEFAULT_REGISTRY).toBe('ghcr.io');
    expect(formatReference(parseReference('busybox'))).toBe('ghcr.io/busybox');
  });

  it('omits tag and digest keys when absent', () => {
    const ref = parseReference('ghcr.io/o/i');
    expect('tag' in ref).toBe(false);
    expect('digest' in ref).toBe(false);
  });
});

describe('parseReference: invalid references', () => {
  // [input, substrings the message must contain]
  const cases: [string, string[]][] = [
    ['', ["Invalid image reference ''", 'it is empty', '[registry[:port]/]path[:tag][@digest]']],
    ['   ', ["Invalid image reference ''", 'it is empty']],
    ['ghcr.io/o/my app', ["'ghcr.io/o/my app'", 'a space at position 13', 'no whitespace']],
    ['ghcr.io/o/i:\tv1', ['U+0009', 'no whitespace']],
    ['ghcr.io', ["'ghcr.io' is a registry with no repository path", "'ghcr.io/owner/image'"]],
    ['ghcr.io/', ["'ghcr.io' is a registry with no repository path"]],
    ['ghcr.io:443', ["'ghcr.io:443' is a registry with no repository path"]],
    ['localhost:5000', ["'localhost:5000' is a registry with no repository path"]],
    ['127.0.0.1:5100/', ["'127.0.0.1:5100' is a registry with no repository path"]],
    [`ghcr.io@${SHA256}`, ["'ghcr.io' is a registry with no repository path"]],
    ['ghcr.io/o//i', ["Invalid repository path 'o//i' in 'ghcr.io/o//i'", 'empty component', 'two in a row']],
    ['/o/i', ["Invalid repository path '/o/i'", 'empty component']],
    ['ghcr.io/o/i/', ["Invalid repository path 'o/i/'", 'empty component']],
    ['ghcr.io/o/my!app', ["Invalid repository path component 'my!app'", "contains '!'", 'lowercase letters']],
    ['ghcr.io/o/-app', ["component '-app'", 'separators are misplaced', 'starts and ends with a letter']],
    ['ghcr.io/o/app_', ["component 'app_'", 'separators are misplaced']],
    ['ghcr.io/o/a..b', ["component 'a..b'", "one '.'"]],
    ['ghcr.io/o/a___b', ["component 'a___b'", "one or two '_'"]],
    ['ghcr.io/O/My$App', ["component 'My$App'", "contains '$'"]],
    ['ghcr.io/o:x/i', ["component 'o:x'", "contains ':'"]],
    [`ghcr.io/${'a'.repeat(256)}`, ['Invalid repository path', 'has 256 characters', 'limit of 255']],
    ['ghcr..io/o/i', ["Invalid registry 'ghcr..io' in 'ghcr..io/o/i'", "host 'ghcr..io'", 'host name or IP']],
    ['ghcr.io:abc/o/i', ["Invalid registry 'ghcr.io:abc'", "port 'abc'", 'from 1 to 65535']],
    ['ghcr.io:70000/o/i', ["port '70000'", 'from 1 to 65535']],
    ['ghcr.io:/o/i', ["port ''"]],
    ['[::1/o/i', ["Invalid registry '[::1'", 'bracketed IPv6']],
    ['[zz]:5000/o/i', ["'zz' is not a bracketed IPv6 address"]],
    ['[::1]x/o/i', ["'x' follows ']'"]],
    ['ghcr.io/o/i:', ["Invalid tag '' in 'ghcr.io/o/i:'", 'the tag is empty', "e.g. 'latest'"]],
    [
      `ghcr.io/o/i:${'t'.repeat(129)}`,
      ["Invalid tag 'ttt", 'this one has 129 characters', 'limit of 128', '1 to 128 letters'],
    ],
    ['ghcr.io/o/i:v1+build', ["Invalid tag 'v1+build' in 'ghcr.io/o/i:v1+build'", "contains '+'"]],
    ['ghcr.io/o/i:a+b!c+', ["contains '+', '!'"]],
    ['ghcr.io/o/i:.hidden', ["Invalid tag '.hidden'", "starts with '.'", "not starting with '.' or '-'"]],
    ['ghcr.io/o/i:-x', ["starts with '-'"]],
    [
      `ghcr.io/o/i@${BAD_DIGEST}`,
      [
        `Invalid digest '${BAD_DIGEST}' in 'ghcr.io/o/i@${BAD_DIGEST}'`,
        "a sha256 digest is 'sha256:' followed by exactly 64 lowercase hexadecimal characters",
        '(this one has 43 characters, some not hexadecimal)',
      ],
    ],
    ['ghcr.io/o/i@', ["Invalid digest ''", 'the digest is empty', "'sha256:' followed by exactly 64"]],
    [`ghcr.io/o/i@md5:${'a'.repeat(32)}`, ["the algorithm 'md5' is not supported", "'sha256:' followed by"]],
    ['ghcr.io/o/i@abc', ["Invalid digest 'abc'", "a digest is 'algorithm:hex'", 'no algorithm']],
    [`ghcr.io/o/i@sha256:${'a'.repeat(63)}`, ['(this one has 63 characters)']],
    [`ghcr.io/o/i@sha256:${'A'.repeat(64)}`, ['(this one has 64 characters, some upper-case)']],
    [`ghcr.io/o/i@sha512:${'a'.repeat(64)}`, ["'sha512:' followed by exactly 128", 'has 64 characters']],
    [`ghcr.io/o/i@${SHA256}@x`, ['Invalid digest', 'some not hexadecimal']],
  ];

  it.each(cases)('%j', (input, parts) => {
    const error = errorOf(() => parseReference(input));
    expect(error.name).toBe('InvalidReferenceError');
    expect(error.input).toBe(input);
    for (const part of parts) expect(error.message).toContain(part);
  });

  it('rejects a bad default registry, naming it', () => {
    const error = errorOf(() => parseReference('app', { defaultRegistry: 'bad host' }));
    expect(error.message).toContain("Invalid default registry 'bad host' in 'app'");
  });
});

describe('formatReference and repositoryOf', () => {
  it.each([
    'ghcr.io/org/team/app',
    '127.0.0.1:5100/octo-org/x:Tag_1',
    'localhost:5000/a',
    '[::1]:5000/a/b:t',
    'ghcr.io/busybox',
    'ghcr.io/owner/app:latest',
    `ghcr.io/o/i@${SHA256}`,
    `ghcr.io/o/repo:1.0@${SHA256}`,
  ])('round-trips %s', (input) => {
    expect(formatReference(parseReference(input))).toBe(input);
    expect(parseReference(formatReference(parseReference(input)))).toEqual(parseReference(input));
  });

  it('formats the normalised form of a mixed-case reference', () => {
    expect(formatReference(parseReference('Ghcr.IO/Octo-Org/App:MyTag'))).toBe('ghcr.io/octo-org/app:MyTag');
  });

  it('repositoryOf drops tag and digest', () => {
    expect(repositoryOf(parseReference(`127.0.0.1:5100/o/i:t@${SHA256}`))).toBe('127.0.0.1:5100/o/i');
  });
});

describe('withTag and withDigest', () => {
  const pinned = parseReference(`ghcr.io/o/i:old@${SHA256}`);

  it('withTag sets the tag and drops the digest', () => {
    const ref = withTag(pinned, 'New_1');
    expect(ref).toEqual({ registry: 'ghcr.io', repository: 'o/i', tag: 'New_1', lowercased: false });
    expect('digest' in ref).toBe(false);
    expect(pinned.tag).toBe('old');
  });

  it('withTag validates the tag', () => {
    const error = errorOf(() => withTag(pinned, 'no/slash'));
    expect(error.message).toBe(
      "Invalid tag 'no/slash': a tag is 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'; " +
        "this one contains '/'.",
    );
    expect(error.input).toBe('no/slash');
  });

  it('withDigest sets the digest and keeps the tag', () => {
    expect(withDigest(pinned, SHA512)).toEqual({ ...pinned, digest: SHA512 });
    expect(formatReference(withDigest(parseReference('ghcr.io/o/i:v1'), SHA256))).toBe(
      `ghcr.io/o/i:v1@${SHA256}`,
    );
  });

  it('withDigest validates the digest', () => {
    const error = errorOf(() => withDigest(pinned, BAD_DIGEST));
    expect(error.message).toBe(
      `Invalid digest '${BAD_DIGEST}': a sha256 digest is 'sha256:' followed by exactly 64 lowercase ` +
        'hexadecimal characters (this one has 43 characters, some not hexadecimal).',
    );
  });
});

describe('validateTag and validateDigest', () => {
  it.each(['latest', 'v1.2.3', 'MyTag', '_x', '1', 'a-b_c.d', 'x'.repeat(128)])('accepts tag %s', (tag) => {
    expect(() => validateTag(tag)).not.toThrow();
  });

  it.each(['', '.x', '-x', 'a b', 'a:b', 'a@b', 'x'.repeat(129), 'é'])('rejects tag %j', (tag) => {
    expect(errorOf(() => validateTag(tag)).message).toMatch(/^Invalid tag '.*': .*a tag is 1 to 128 /);
  });

  it.each([SHA256, SHA512])('accepts digest %s', (digest) => {
    expect(() => validateDigest(digest)).not.toThrow();
  });

  it.each([
    '',
    BAD_DIGEST,
    `sha256:${'a'.repeat(65)}`,
    `sha384:${'a'.repeat(96)}`,
    `SHA256:${'a'.repeat(64)}`,
    `sha256:${'a'.repeat(63)}G`,
    'a'.repeat(64),
  ])('rejects digest %j', (digest) => {
    expect(errorOf(() => validateDigest(digest)).message).toMatch(/^Invalid digest '.*': .*sha256:/);
  });
});

describe('the rules other modules reuse', () => {
  it('states the tag rule with the limit, as the messages about a bad tag do', () => {
    expect(MAX_TAG_LENGTH).toBe(128);
    expect(TAG_RULE).toBe("a tag is 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
    expect(errorOf(() => validateTag('-x')).message).toContain(TAG_RULE);
    expect(() => validateTag('x'.repeat(MAX_TAG_LENGTH))).not.toThrow();
    expect(errorOf(() => validateTag('x'.repeat(MAX_TAG_LENGTH + 1))).message).toContain(
      `over the limit of ${MAX_TAG_LENGTH}`,
    );
  });

  it.each([
    'ghcr.io',
    'localhost',
    'localhost:5000',
    '127.0.0.1:5100',
    '[::1]:5000',
    '[::1]',
    'my-registry.example',
  ])('accepts the registry %p', (registry) => {
    expect(registryProblem(registry)).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    ['ghcr_io', /^the host 'ghcr_io' is not a valid host name; a registry is a host name/],
    ['-ghcr.io', /^the host '-ghcr.io' is not a valid host name/],
    ['ghcr.io:0', /^the port '0' is not a number from 1 to 65535/],
    ['ghcr.io:65536', /^the port '65536' is not a number from 1 to 65535/],
    ['ghcr.io:', /^the port '' is not a number from 1 to 65535/],
    ['[::1', /^'\[::1' is not a bracketed IPv6 address/],
    ['[127.0.0.1]', /^'127.0.0.1' is not a bracketed IPv6 address/],
    ['[::1]5000', /^'5000' follows '\]' where ':port' belongs/],
  ])('refuses the registry %p, stating the rule', (registry, problem) => {
    expect(registryProblem(registry)).toMatch(problem);
    expect(registryProblem(registry)).toContain("e.g. 'ghcr.io', '127.0.0.1:5000' or '[::1]:5000'");
  });

  it('is the rule parseReference applies to a registry', () => {
    const problem = registryProblem('bad_host:5000');
    expect(errorOf(() => parseReference('bad_host:5000/o/app')).message).toBe(
      `Invalid registry 'bad_host:5000' in 'bad_host:5000/o/app': ${problem}.`,
    );
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3:80', true],
    ['localhost', true],
    ['localhost:5000', true],
    ['LocalHost:5000', true],
    ['[::1]:5000', true],
    ['[::1]', true],
    ['::1', true],
    ['[0:0:0:0:0:0:0:1]:5000', true],
    ['ghcr.io', false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['[::2]:5000', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com:5000', false],
    ['', false],
  ])('%s -> %s', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });
});
