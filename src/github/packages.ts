/**
 * GitHub's Packages REST API for container packages, through Octokit at $GITHUB_API_URL: the owner's kind, a
 * package (visibility, page), its versions (paginated, bounded), and deleting one. Every string that came from
 * the network is made printable before it can reach a log; answers that are not 2xx become PackagesApiError.
 */
import { printable } from '../registry/index.js';
import { apiHeaders, githubApi, type GitHubApi } from './api.js';

/** The package: its owner, whether that is an organization (`orgs`) or a user (`users`), and its name. */
export interface PackageId {
  owner: string;
  kind: 'orgs' | 'users';
  name: string;
}

export interface ApiVersion {
  id: number;
  digest: string;
  tags: string[];
  createdAt: Date;
  htmlUrl: string;
}

export interface PackageFacts {
  visibility: string;
  htmlUrl: string;
}

/** An answer that is not 2xx, or no answer: what was asked, the status (0: none) and GitHub's message. */
export class PackagesApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly said: string,
  ) {
    super(`${operation}: ${status ? `HTTP ${status}` : 'no answer'}${said ? ` (${said})` : ''}`);
    this.name = 'PackagesApiError';
  }
}

const PER_PAGE = 100;
/** At most this many pages (10,000 versions): a longer list is refused rather than half-read. */
export const MAX_PAGES = 100;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** Every answer's body read to at most MAX_BODY_BYTES (through Octokit's own fetch: proxies still apply). */
function boundBodies(api: GitHubApi): void {
  api.hook.wrap('request', async (request, options) => {
    const inner = (options.request?.fetch as typeof fetch | undefined) ?? fetch;
    const bounded: typeof fetch = async (input, init) => {
      const answer = await inner(input, init);
      if (!answer.body || answer.status === 204) return answer;
      if (Number(answer.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
        await answer.body.cancel().catch(() => undefined);
        throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
        chunks.push(chunk);
      }
      const { status, statusText, headers } = answer;
      return new Response(Buffer.concat(chunks), { status, statusText, headers });
    };
    return request({ ...options, request: { ...options.request, fetch: bounded } });
  });
}

export class PackagesApi {
  private constructor(
    private readonly api: GitHubApi,
    private readonly userAgent: string,
  ) {}

  static async open(apiUrl: string, token: string, userAgent: string, fetchImpl?: typeof fetch) {
    const api = await githubApi({ apiUrl, token, userAgent, fetch: fetchImpl });
    boundBodies(api);
    return new PackagesApi(api, userAgent);
  }

  private async call(operation: string, route: string, parameters: Record<string, unknown>) {
    try {
      return await this.api.request(route, {
        ...parameters,
        headers: apiHeaders(this.userAgent),
        request: { signal: AbortSignal.timeout(TIMEOUT_MS) },
      });
    } catch (error) {
      const failure = error as { status?: number; response?: { data?: unknown }; message?: string };
      if (failure.response === undefined || failure.status === undefined)
        throw new PackagesApiError(operation, 0, printable(String(failure.message ?? error), 300));
      const data = failure.response.data as { message?: unknown } | undefined;
      const said = typeof data?.message === 'string' ? data.message : '';
      throw new PackagesApiError(operation, failure.status, printable(said, 300));
    }
  }

  /** Whether an account is an organization or a user (GET /users/{name}). */
  async ownerKind(owner: string): Promise<'orgs' | 'users'> {
    const answer = await this.call(`read the account ${owner}`, 'GET /users/{username}', { username: owner });
    return (answer.data as { type?: unknown }).type === 'Organization' ? 'orgs' : 'users';
  }

  async getPackage(id: PackageId): Promise<PackageFacts> {
    const answer = await this.call(
      `read the package ${id.owner}/${id.name}`,
      `GET /${id.kind}/{owner}/packages/container/{name}`,
      {
        owner: id.owner,
        name: id.name,
      },
    );
    const data = answer.data as { visibility?: unknown; html_url?: unknown };
    return {
      visibility: printable(typeof data.visibility === 'string' ? data.visibility : 'unknown', 40),
      htmlUrl: printable(typeof data.html_url === 'string' ? data.html_url : '', 500),
    };
  }

  /** Every version, newest first as GitHub lists them, following `Link: rel="next"` for at most MAX_PAGES. */
  async listVersions(id: PackageId): Promise<ApiVersion[]> {
    const versions: ApiVersion[] = [];
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) {
        throw new PackagesApiError(
          `list the versions of ${id.owner}/${id.name}`,
          0,
          `more than ${MAX_PAGES * PER_PAGE} versions: this run reads at most that many, and plans only on a complete list`,
        );
      }
      const answer = await this.call(
        `list the versions of ${id.owner}/${id.name}`,
        `GET /${id.kind}/{owner}/packages/container/{name}/versions`,
        { owner: id.owner, name: id.name, per_page: PER_PAGE, page },
      );
      if (!Array.isArray(answer.data))
        throw new PackagesApiError('list versions', answer.status, 'not a list');
      versions.push(...(answer.data as unknown[]).map(apiVersion));
      if (!/rel="next"/.test(String(answer.headers.link ?? ''))) return versions;
    }
  }

  async deleteVersion(id: PackageId, versionId: number): Promise<void> {
    await this.call(
      `delete the version ${versionId} of ${id.owner}/${id.name}`,
      `DELETE /${id.kind}/{owner}/packages/container/{name}/versions/{version}`,
      { owner: id.owner, name: id.name, version: versionId },
    );
  }
}

/** One version as GitHub documents it; anything else is refused (a plan is never made on guesses). */
export function apiVersion(raw: unknown): ApiVersion {
  const item = raw as {
    id?: unknown;
    name?: unknown;
    created_at?: unknown;
    html_url?: unknown;
    metadata?: { container?: { tags?: unknown } };
  };
  const tags = item?.metadata?.container?.tags ?? [];
  const created = typeof item?.created_at === 'string' ? new Date(item.created_at) : new Date(NaN);
  if (
    typeof item?.id !== 'number' ||
    typeof item.name !== 'string' ||
    !/^sha256:[0-9a-f]{64}$/.test(item.name) ||
    Number.isNaN(created.getTime()) ||
    !Array.isArray(tags) ||
    !tags.every((t) => typeof t === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(t))
  ) {
    throw new PackagesApiError(
      'read a package version',
      200,
      `unexpected version: ${printable(JSON.stringify(raw), 200)}`,
    );
  }
  return {
    id: item.id,
    digest: item.name,
    tags: tags as string[],
    createdAt: created,
    htmlUrl: printable(typeof item.html_url === 'string' ? item.html_url : '', 500),
  };
}
