// The GitHub side of the local ghcr.io stand-in: the registry's token service and a sliver of the REST API
// (GET /user, and the Packages API of stack/packages.mjs).
//
//   node stack/standin.mjs CONFIG_JSON
//
// CONFIG_JSON (written by stack/start.sh) names the listen ports, the signing key, the issuer/service the
// registry expects, the identities (tokens modelled on GitHub credentials) and which repositories are public.
// Token requests are appended to a JSON-lines log (identity names and scopes, never a secret) so tests can
// count them.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { packagesApi } from './packages.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const privateKey = createPrivateKey(readFileSync(config.keyFile));
const keyId = libtrustKeyId(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));

/** registry 2.x finds the signing key by this id: base32 of the first 30 bytes of SHA-256(DER SPKI), 12x4. */
function libtrustKeyId(der) {
  const bytes = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return out.match(/.{4}/g).join(':');
}

const base64url = (data) => Buffer.from(data).toString('base64url');

function signToken(subject, access) {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'ES256', kid: keyId };
  const claims = {
    iss: config.issuer,
    sub: subject,
    aud: config.service,
    exp: now + config.tokenLifetimeSeconds,
    nbf: now - 5,
    iat: now,
    jti: `${now}-${Math.random().toString(36).slice(2)}`,
    access,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

/** `*` in a pattern matches any run of characters, `/` included. */
function matches(pattern, name) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(name);
}

const isPublic = (repository) => config.publicRepositories.some((p) => matches(p, repository));

/** The actions an identity may take on a repository: the first rule whose pattern matches decides. */
function allowedActions(identity, repository) {
  const allowed = new Set(isPublic(repository) ? ['pull'] : []);
  const rule = (identity?.grants ?? []).find((g) => matches(g.repositories, repository));
  for (const action of rule?.actions ?? []) allowed.add(action);
  return allowed;
}

function identityFor(secret) {
  return config.identities.find((identity) => identity.token === secret);
}

function basicCredentials(header) {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

function log(entry) {
  appendFileSync(config.tokenLog, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}

/** GET /token?service=S&scope=repository:NAME:ACTIONS (repeatable), Basic user:token or anonymous. */
function handleToken(req, res, url) {
  const credentials = basicCredentials(req.headers.authorization);
  let identity;
  if (credentials) {
    identity = identityFor(credentials.secret);
    if (!identity || credentials.user === '') {
      log({
        identity: identity ? identity.name : 'unknown',
        status: 401,
        scopes: url.searchParams.getAll('scope'),
      });
      return send(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    }
  }
  const name = identity ? identity.name : 'anonymous';
  if (url.searchParams.get('service') && url.searchParams.get('service') !== config.service) {
    return send(res, 400, {
      errors: [{ code: 'DENIED', message: `unknown service ${url.searchParams.get('service')}` }],
    });
  }
  const access = [];
  const granted = [];
  for (const scope of url.searchParams.getAll('scope')) {
    const parts = scope.split(':');
    if (parts.length < 3 || parts[0] !== 'repository') continue;
    const actions = parts.pop().split(',');
    const repository = parts.slice(1).join(':');
    const allowed = allowedActions(identity, repository);
    const actionsGranted = actions.filter((action) => allowed.has(action));
    access.push({ type: 'repository', name: repository, actions: actionsGranted });
    granted.push(`repository:${repository}:${actionsGranted.join(',')}`);
  }
  log({ identity: name, status: 200, scopes: url.searchParams.getAll('scope'), granted });
  // ghcr.io answers {"token": ...} with no expires_in; clients assume a short lifetime.
  return send(res, 200, { token: signToken(name, access) });
}

/** GET /user: classic PATs answer with X-OAuth-Scopes; installation tokens cannot read a user. */
function handleUser(req, res) {
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) {
    return send(res, 401, {
      message: 'Requires authentication',
      documentation_url: `${config.docsUrl}/rest`,
    });
  }
  const identity = identityFor(match[1].trim());
  if (!identity) {
    return send(res, 401, { message: 'Bad credentials', documentation_url: `${config.docsUrl}/rest` });
  }
  if (identity.kind === 'installation') {
    return send(res, 403, {
      message: 'Resource not accessible by integration',
      documentation_url: `${config.docsUrl}/rest/users/users#get-the-authenticated-user`,
    });
  }
  const headers = identity.scopes === undefined ? {} : { 'X-OAuth-Scopes': identity.scopes.join(', ') };
  return send(res, 200, { login: identity.login, id: identity.id, type: 'User' }, headers);
}

/** Exact routes first; then `fallback` (it answers and returns true, or returns false: 404). */
function serve(port, routes, fallback = () => false) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      try {
        if (fallback(req, res, url)) return undefined;
      } catch (error) {
        return send(res, 500, { message: String(error) });
      }
      return send(res, 404, { message: 'Not Found' });
    }
    try {
      return route(req, res, url);
    } catch (error) {
      return send(res, 500, { message: String(error) });
    }
  });
  server.listen(port, '127.0.0.1');
  return server;
}

/**
 * ghcr.io's own refusals, in front of the token registry: where registry 2.x answers 401 insufficient_scope to a
 * valid token, ghcr.io answers 403 with a `denied` error whose text depends on who asked. Everything else is
 * passed through untouched (bodies streamed both ways).
 */
function ghcrRefusal(authorization) {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const identity = config.identities.find((i) => i.name === claims.sub);
  if (identity?.kind === 'installation') return 'installation not allowed to Write organization package';
  return 'permission_denied: write_package';
}

function serveGhcrFront(port, upstreamPort) {
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const challenge = String(answer.headers['www-authenticate'] ?? '');
        const refusal =
          answer.statusCode === 401 &&
          challenge.includes('insufficient_scope') &&
          ghcrRefusal(req.headers.authorization);
        if (refusal) {
          answer.resume();
          return send(res, 403, { errors: [{ code: 'DENIED', message: refusal }] });
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => send(res, 502, { message: String(error) }));
    req.pipe(upstream);
  });
  server.listen(port, '127.0.0.1');
  return server;
}

serve(config.tokenPort, { 'GET /token': handleToken });
const packages = config.tokenRegistryRoot
  ? packagesApi(config, { allowedActions, isPublic, identityFor, send, signToken })
  : undefined;
serve(config.apiPort, { 'GET /user': handleUser }, packages);
if (config.ghcrFrontPort) serveGhcrFront(config.ghcrFrontPort, config.tokenRegistryPort);
