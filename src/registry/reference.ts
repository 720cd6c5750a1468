import { BlockList, isIP } from 'node:net';

/** The registry a reference without one points at. */
export const DEFAULT_REGISTRY = 'ghcr.io';

/** A parsed image reference: `registry/repository[:tag][@digest]`. */
export interface Reference {
  /** host[:port], host lower-cased, e.g. 'ghcr.io', '127.0.0.1:5100', '[::1]:5000'. */
  registry: string;
  /** The repository path, always lower-cased, e.g. 'octo-org/team/app'. */
  repository: string;
  /** The tag, case preserved. */
  tag?: string;
  /** 'sha256:<64 hex>' or 'sha512:<128 hex>'. */
  digest?: string;
  /** True when the path given contained capitals and was lower-cased. */
  lowercased: boolean;
}

/** A reference, tag or digest that breaks the OCI distribution grammar; the message says which rule. */
export class InvalidReferenceError extends Error {
  /** The text that was rejected, as given. */
  readonly input: string;

  constructor(input: string, message: string) {
    super(message);
    this.name = 'InvalidReferenceError';
    this.input = input;
  }
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
/** The longest tag the distribution grammar allows. */
export const MAX_TAG_LENGTH = 128;
/** The tag rule, as every message about a bad tag states it. */
export const TAG_RULE = `a tag is 1 to ${MAX_TAG_LENGTH} letters, digits, '_', '.' or '-', not starting with '.' or '-'`;
/** The tag grammar of the distribution spec. */
export const TAG = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${MAX_TAG_LENGTH - 1}}$`);
const MAX_PATH = 255;
const DIGEST_HEX_LENGTHS = new Map([
  ['sha256', 64],
  ['sha512', 128],
]);
const REFERENCE_SHAPE = "[registry[:port]/]path[:tag][@digest], e.g. 'ghcr.io/octo-org/app:1.0'";
const PATH_RULE =
  "each '/'-separated path component is lowercase letters and digits, separated by one '.', one or two '_', " +
  "or one or more '-', and starts and ends with a letter or digit (e.g. 'my-app' or 'app_v2')";
const REGISTRY_RULE =
  "a registry is a host name or IP address (IPv6 in brackets), optionally followed by ':' and a port from 1 " +
  "to 65535, e.g. 'ghcr.io', '127.0.0.1:5000' or '[::1]:5000'";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Throws `Invalid <what> '<bad>' [in '<input>']: <rule>.` */
function fail(what: string, bad: string, input: string, rule: string, original = input): never {
  const where = bad === input ? '' : ` in '${input}'`;
  throw new InvalidReferenceError(original, `Invalid ${what} '${bad}'${where}: ${rule}.`);
}

/** A character named for a message: quoted, or described when invisible. */
function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0) ?? 0;
  if (/\s/.test(c) || code < 0x20 || code === 0x7f) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${c}'`;
}

/** The distinct characters of `text` outside `allowed`, named and joined for a message. */
function badChars(text: string, allowed: RegExp): string {
  const found = [...new Set([...text].filter((c) => !allowed.test(c)))];
  return found.map(describeChar).join(', ');
}

function tagProblem(tag: string): string | undefined {
  if (TAG.test(tag)) return undefined;
  if (tag === '') return `the tag is empty; ${TAG_RULE}, e.g. 'latest'`;
  const bad = badChars(tag, /[A-Za-z0-9_.-]/);
  if (bad !== '') return `${TAG_RULE}; this one contains ${bad}`;
  if (tag.length > MAX_TAG_LENGTH)
    return `${TAG_RULE}; this one has ${tag.length} characters, over the limit of ${MAX_TAG_LENGTH}`;
  return `${TAG_RULE}; this one starts with '${tag.charAt(0)}'`;
}

function digestProblem(digest: string): string | undefined {
  const usual = "'sha256:' followed by exactly 64 lowercase hexadecimal characters";
  if (digest === '') return `the digest is empty; a digest is ${usual}`;
  const colon = digest.indexOf(':');
  if (colon < 0) return `a digest is 'algorithm:hex'; this one has no algorithm, use ${usual}`;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTHS.get(algorithm);
  if (length === undefined) {
    return `the algorithm '${algorithm}' is not supported; use ${usual}, or 'sha512:' followed by exactly 128`;
  }
  if (hex.length === length && /^[0-9a-f]+$/.test(hex)) return undefined;
  const notes = [`this one has ${hex.length} characters`];
  if (/[^0-9a-fA-F]/.test(hex)) notes.push('some not hexadecimal');
  else if (/[A-F]/.test(hex)) notes.push('some upper-case');
  return (
    `a ${algorithm} digest is '${algorithm}:' followed by exactly ${length} lowercase hexadecimal ` +
    `characters (${notes.join(', ')})`
  );
}

/** Throws unless `tag` is a valid tag (case preserved). */
export function validateTag(tag: string): void {
  const problem = tagProblem(tag);
  if (problem !== undefined) fail('tag', tag, tag, problem);
}

/** Throws unless `digest` is `sha256:<64 lowercase hex>` or `sha512:<128 lowercase hex>`. */
export function validateDigest(digest: string): void {
  const problem = digestProblem(digest);
  if (problem !== undefined) fail('digest', digest, digest, problem);
}

/**
 * Why `registry` is not a registry host (host name, IPv4 or bracketed IPv6, optional ':port'), stating the rule;
 * undefined when it is one.
 */
export function registryProblem(registry: string): string | undefined {
  let host = registry;
  let port: string | undefined;
  if (registry.startsWith('[')) {
    const end = registry.indexOf(']');
    host = end < 0 ? registry : registry.slice(1, end);
    const rest = end < 0 ? '' : registry.slice(end + 1);
    if (end < 0 || isIP(host) !== 6) return `'${host}' is not a bracketed IPv6 address; ${REGISTRY_RULE}`;
    if (rest !== '' && !rest.startsWith(':'))
      return `'${rest}' follows ']' where ':port' belongs; ${REGISTRY_RULE}`;
    if (rest !== '') port = rest.slice(1);
  } else {
    const colon = registry.indexOf(':');
    if (colon >= 0) [host, port] = [registry.slice(0, colon), registry.slice(colon + 1)];
    if (!HOST_NAME.test(host)) return `the host '${host}' is not a valid host name; ${REGISTRY_RULE}`;
  }
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    return `the port '${port}' is not a number from 1 to 65535; ${REGISTRY_RULE}`;
  }
  return undefined;
}

/** Whether the first '/'-separated component names a registry rather than a path. */
function isRegistryComponent(component: string): boolean {
  return /[.:]/.test(component) || component.toLowerCase() === 'localhost' || component.startsWith('[');
}

/** Whether a reference without '/' is a registry alone ('ghcr.io', 'localhost:5000') rather than a path. */
function isRegistryAlone(text: string): boolean {
  const host = text.startsWith('[') ? text : (text.split(':')[0] ?? '');
  return host.includes('.') || host.toLowerCase() === 'localhost' || host.startsWith('[');
}

/** The repository path, lower-cased; throws naming the component that breaks the path rule. */
function checkedPath(path: string, text: string, input: string): string {
  const components = path.split('/');
  if (components.includes('')) {
    const rule =
      "it has an empty component (a '/' at the start or end, or two in a row); " +
      "each component needs at least one letter or digit, e.g. 'owner/image'";
    fail('repository path', path, text, rule, input);
  }
  for (const component of components) {
    const lower = component.toLowerCase();
    if (PATH_COMPONENT.test(lower)) continue;
    const bad = badChars(lower, /[a-z0-9._-]/);
    const why =
      bad !== ''
        ? `it contains ${bad}`
        : "its separators are misplaced ('.', '_', '__' or '-' between letters or digits)";
    fail('repository path component', component, text, `${why}; ${PATH_RULE}`, input);
  }
  const repository = path.toLowerCase();
  if (repository.length > MAX_PATH) {
    const rule = `the path has ${repository.length} characters, over the limit of ${MAX_PATH}`;
    fail('repository path', path, text, rule, input);
  }
  return repository;
}

/** Parses `[registry[:port]/]path[:tag][@digest]`; the registry defaults to ghcr.io. */
export function parseReference(input: string, options?: { defaultRegistry?: string }): Reference {
  const text = input.trim();
  if (text === '') fail('image reference', text, '', `it is empty; write ${REFERENCE_SHAPE}`, input);
  const space = /\s/.exec(text);
  if (space) {
    const rule = `it contains ${describeChar(space[0])} at position ${space.index + 1}; a reference has no whitespace inside`;
    fail('image reference', text, text, rule, input);
  }

  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const digest = at < 0 ? undefined : text.slice(at + 1);
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  if (slash < 0 ? isRegistryAlone(name) : isRegistryComponent(first) && slash === name.length - 1) {
    const registryOnly = slash < 0 ? name : first;
    const rule = `'${registryOnly}' is a registry with no repository path after it; add one, e.g. '${registryOnly}/owner/image'`;
    fail('image reference', text, text, rule, input);
  }
  const hasRegistry = slash >= 0 && isRegistryComponent(first);
  const registry = (hasRegistry ? first : (options?.defaultRegistry ?? DEFAULT_REGISTRY)).toLowerCase();
  const rest = hasRegistry ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const tagged = colon >= 0 && !rest.slice(colon + 1).includes('/');
  const path = tagged ? rest.slice(0, colon) : rest;
  const tag = tagged ? rest.slice(colon + 1) : undefined;

  const registryIssue = registryProblem(registry);
  if (registryIssue !== undefined) {
    fail(hasRegistry ? 'registry' : 'default registry', registry, text, registryIssue, input);
  }
  const repository = checkedPath(path, text, input);
  const tagIssue = tag === undefined ? undefined : tagProblem(tag);
  if (tag !== undefined && tagIssue !== undefined) fail('tag', tag, text, tagIssue, input);
  const digestIssue = digest === undefined ? undefined : digestProblem(digest);
  if (digest !== undefined && digestIssue !== undefined) fail('digest', digest, text, digestIssue, input);

  const ref: Reference = { registry, repository, lowercased: repository !== path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** `registry/repository[:tag][@digest]`. */
export function formatReference(ref: Reference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${repositoryOf(ref)}${tag}${digest}`;
}

/** `registry/repository`, without tag or digest. */
export function repositoryOf(ref: Reference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The same repository with `tag` (validated) and no digest. */
export function withTag(ref: Reference, tag: string): Reference {
  validateTag(tag);
  return { registry: ref.registry, repository: ref.repository, tag, lowercased: ref.lowercased };
}

/** The same repository and tag, pinned to `digest` (validated). */
export function withDigest(ref: Reference, digest: string): Reference {
  validateDigest(digest);
  return { ...ref, digest };
}

/** Whether `registry` (host, host:port, [v6]:port or bare v6) is on a loopback address or localhost. */
export function isLoopbackRegistry(registry: string): boolean {
  const text = registry.trim().toLowerCase();
  let host: string;
  if (text.startsWith('[')) host = text.slice(1, text.includes(']') ? text.indexOf(']') : undefined);
  else if (text.split(':').length > 2) host = text;
  else host = text.split(':')[0] ?? '';
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 0) return false;
  return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
