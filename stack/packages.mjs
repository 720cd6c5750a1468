// The Packages REST API of the local ghcr.io stand-in (container packages only), backed by the token registry:
//
//   GET    /users/{name}                                          the account and its type (User | Organization)
//   GET    /orgs|users/{owner}/packages/container/{name}          the package: visibility, html_url, version_count
//   GET    /orgs|users/{owner}/packages/container/{name}/versions page/per_page, Link rel="next"/"last"
//   GET    /orgs|users/{owner}/packages/container/{name}/versions/{id}
//   DELETE /orgs|users/{owner}/packages/container/{name}/versions/{id}   204; the manifest and its tags go
//   POST   /_standin/created-at   {repository, digest, created_at}      tests: set a version's creation time
//
// A package is the registry repository OWNER/NAME; a version is a manifest stored in it (every revision the
// registry holds, untagged ones included: the storage is read, since the registry's API cannot list those),
// its tags, and a creation time: the first time the stand-in saw the digest (the revision's file time), kept in
// a record of its own with the version's id. A deleted version goes by DELETE of the manifest in the registry,
// which removes its tags with it, as on GitHub.
//
// Rights, per identity, as for the registry (the identity's grants in standin.json): seeing a package needs
// `pull` on its repository (a public one is seen by every identity), else 404 "Package not found."; a classic
// PAT also needs read:packages (403 otherwise). Deleting a version needs `delete` on the repository (for
// GITHUB_TOKEN: the Admin role in the package's "Manage Actions access"), and for a classic PAT the
// delete:packages scope; 403 otherwise.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_PATH = /^\/(orgs|users)\/([^/]+)\/packages\/container\/([^/]+)(\/versions(?:\/(\d+))?)?$/;

export function packagesApi(config, { allowedActions, isPublic, identityFor, send, signToken }) {
  const state = loadState(config.packagesState);
  const serverUrl = config.serverUrl;
  const apiUrl = config.serverUrl;
  const organizations = config.organizations ?? [];
  const docs = (anchor) => `${config.docsUrl}/rest/packages/packages#${anchor}`;

  const ownerType = (owner) => (organizations.includes(owner) ? 'Organization' : 'User');
  const storage = (repository) =>
    join(config.tokenRegistryRoot, 'docker/registry/v2/repositories', repository, '_manifests');

  function saveState() {
    writeFileSync(config.packagesState, JSON.stringify(state));
  }

  /** The repository's versions, newest first: every revision the registry stores, with its tags. */
  function versionsOf(repository) {
    const dir = join(storage(repository), 'revisions/sha256');
    if (!existsSync(dir)) return [];
    const tags = tagsByDigest(repository);
    const versions = [];
    for (const hex of readdirSync(dir)) {
      const link = join(dir, hex, 'link');
      if (!existsSync(link)) continue; // a deleted manifest leaves its folder behind
      const digest = `sha256:${hex}`;
      const key = `${repository}@${digest}`;
      if (!state.versions[key]) {
        state.versions[key] = { id: state.nextId++, createdAt: statSync(link).mtime.toISOString() };
        saveState();
      }
      versions.push({ digest, tags: tags.get(digest) ?? [], ...state.versions[key] });
    }
    return versions.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  }

  function tagsByDigest(repository) {
    const dir = join(storage(repository), 'tags');
    const byDigest = new Map();
    if (!existsSync(dir)) return byDigest;
    for (const tag of readdirSync(dir).sort()) {
      const link = join(dir, tag, 'current/link');
      if (!existsSync(link)) continue;
      const digest = readFileSync(link, 'utf8').trim();
      byDigest.set(digest, [...(byDigest.get(digest) ?? []), tag]);
    }
    return byDigest;
  }

  function versionBody(kind, owner, name, version) {
    const encoded = encodeURIComponent(name);
    return {
      id: version.id,
      name: version.digest,
      url: `${apiUrl}/${kind}/${owner}/packages/container/${encoded}/versions/${version.id}`,
      package_html_url: `${serverUrl}/${kind}/${owner}/packages/container/package/${encoded}`,
      created_at: version.createdAt,
      updated_at: version.createdAt,
      html_url: `${serverUrl}/${kind}/${owner}/packages/container/${encoded}/${version.id}`,
      metadata: { package_type: 'container', container: { tags: version.tags } },
    };
  }

  function packageBody(kind, owner, name, repository, versions) {
    const encoded = encodeURIComponent(name);
    const dates = versions.map((v) => v.createdAt).sort();
    return {
      id: state.packageIds[repository] ?? (state.packageIds[repository] = state.nextId++),
      name,
      package_type: 'container',
      owner: { login: owner, type: ownerType(owner) },
      version_count: versions.length,
      visibility: isPublic(repository) ? 'public' : 'private',
      url: `${apiUrl}/${kind}/${owner}/packages/container/${encoded}`,
      created_at: dates[0],
      updated_at: dates.at(-1),
      html_url: `${serverUrl}/${kind}/${owner}/packages/container/package/${encoded}`,
    };
  }

  /** The identity behind `Authorization: token|bearer X`, or the answer already sent. */
  function authenticate(req, res) {
    const match = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      send(res, 401, { message: 'Requires authentication', documentation_url: `${config.docsUrl}/rest` });
      return undefined;
    }
    const identity = identityFor(match[1].trim());
    if (!identity)
      send(res, 401, { message: 'Bad credentials', documentation_url: `${config.docsUrl}/rest` });
    return identity;
  }

  const hasScope = (identity, scope) => identity.kind !== 'classic-pat' || identity.scopes.includes(scope);

  /** Whether the identity may see the package; the refusal is sent when it may not. */
  function mayRead(identity, repository, res, anchor) {
    if (identity.kind === 'fine-grained-pat') {
      send(res, 403, {
        message: 'Resource not accessible by personal access token',
        documentation_url: docs(anchor),
      });
      return false;
    }
    if (!['read:packages', 'write:packages', 'delete:packages'].some((s) => hasScope(identity, s))) {
      send(res, 403, {
        message: 'You need at least read:packages scope to list packages.',
        documentation_url: docs(anchor),
      });
      return false;
    }
    return true;
  }

  function handlePackages(req, res, url) {
    const match = PACKAGE_PATH.exec(url.pathname);
    if (!match) return false;
    const [, kind, owner, rawName, versionsPart, id] = match;
    const name = decodeURIComponent(rawName);
    const repository = `${owner}/${name}`;
    const anchor = versionsPart
      ? 'list-package-versions-for-a-package-owned-by-an-organization'
      : 'get-a-package-for-an-organization';
    const identity = authenticate(req, res);
    if (!identity) return true;
    if (!mayRead(identity, repository, res, anchor)) return true;
    const versions = versionsOf(repository);
    const visible = allowedActions(identity, repository).has('pull');
    const wrongKind = (kind === 'orgs') !== (ownerType(owner) === 'Organization');
    if (!visible || wrongKind || versions.length === 0) {
      send(res, 404, { message: 'Package not found.', documentation_url: docs(anchor) });
      return true;
    }
    if (!versionsPart) {
      if (req.method !== 'GET') return false;
      send(res, 200, packageBody(kind, owner, name, repository, versions));
      return true;
    }
    if (id === undefined) {
      if (req.method !== 'GET') return false;
      listVersions(
        res,
        url,
        versions.map((v) => versionBody(kind, owner, name, v)),
      );
      return true;
    }
    const version = versions.find((v) => String(v.id) === id);
    if (!version) {
      send(res, 404, { message: 'Package version not found.', documentation_url: docs(anchor) });
      return true;
    }
    if (req.method === 'GET') send(res, 200, versionBody(kind, owner, name, version));
    else if (req.method === 'DELETE') void deleteVersion(identity, repository, version, res);
    else return false;
    return true;
  }

  /** One page of versions, with the Link header GitHub sends (next, last, first, prev). */
  function listVersions(res, url, all) {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const link = (n) => {
      const next = new URL(url.href);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(n));
      return `<${apiUrl}${next.pathname}${next.search}>`;
    };
    const links = [];
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    send(
      res,
      200,
      all.slice((page - 1) * perPage, page * perPage),
      links.length ? { Link: links.join(', ') } : {},
    );
  }

  async function deleteVersion(identity, repository, version, res) {
    const anchor = 'delete-package-version-for-an-organization';
    if (identity.kind === 'classic-pat' && !identity.scopes.includes('delete:packages')) {
      return send(res, 403, {
        message: 'You need at least delete:packages scope to delete a package version.',
        documentation_url: docs(anchor),
      });
    }
    if (!allowedActions(identity, repository).has('delete')) {
      return send(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: docs(anchor),
      });
    }
    const token = signToken('standin-packages-api', [
      { type: 'repository', name: repository, actions: ['pull', 'delete'] },
    ]);
    const answer = await fetch(
      `http://127.0.0.1:${config.tokenRegistryPort}/v2/${repository}/manifests/${version.digest}`,
      { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } },
    );
    if (answer.status !== 202) {
      return send(res, 500, { message: `the registry answered ${answer.status}: ${await answer.text()}` });
    }
    Reflect.deleteProperty(state.versions, `${repository}@${version.digest}`);
    saveState();
    res.writeHead(204);
    res.end();
  }

  function handleUsers(req, res, url) {
    const match = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (!match || req.method !== 'GET') return false;
    if (!authenticate(req, res)) return true;
    const login = decodeURIComponent(match[1]);
    send(res, 200, { login, id: 1000 + login.length, type: ownerType(login) });
    return true;
  }

  /** POST /_standin/created-at {repository, digest, created_at}: for tests of older-than. */
  function handleCreatedAt(req, res) {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { repository, digest, created_at: createdAt } = JSON.parse(body);
      versionsOf(repository); // records what is there
      const record = state.versions[`${repository}@${digest}`];
      if (!record) return send(res, 404, { message: `${repository}@${digest} is not stored` });
      record.createdAt = new Date(createdAt).toISOString();
      saveState();
      return send(res, 200, { id: record.id, created_at: record.createdAt });
    });
  }

  return (req, res, url) => {
    if (req.method === 'POST' && url.pathname === '/_standin/created-at') {
      handleCreatedAt(req, res);
      return true;
    }
    return handleUsers(req, res, url) || handlePackages(req, res, url);
  };
}

function loadState(file) {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  return { nextId: 7000001, versions: {}, packageIds: {} };
}
