/** Requests to a manifest URL: the path, the scopes each method needs, and what reads accept. */
import { MANIFEST_ACCEPT } from './manifests.js';
import { formatReference, type Reference } from './reference.js';
import { deleteScope, pullScope, pushScope, type Scope } from './scope.js';
import type { RequestOptions } from './transport.js';

type ManifestMethod = 'HEAD' | 'GET' | 'PUT' | 'DELETE';

/** The scopes each request to a manifest URL needs. */
const MANIFEST_SCOPES: Record<ManifestMethod, (repository: string) => Scope[]> = {
  HEAD: pullScope,
  GET: pullScope,
  PUT: pushScope,
  DELETE: deleteScope,
};

/**
 * A request to `ref`'s manifest URL, by digest when it names one (that is what was asked for, exactly), else by
 * tag, with the scopes the method needs; reads accept every manifest type.
 */
export function manifestRequest(
  ref: Reference,
  method: ManifestMethod,
  operation: string,
  expect: number[],
): RequestOptions {
  const id = ref.digest ?? ref.tag;
  if (!id) throw new Error(`${formatReference(ref)} names no tag or digest`);
  return {
    method,
    url: `/v2/${ref.repository}/manifests/${id}`,
    scopes: MANIFEST_SCOPES[method](ref.repository),
    expect,
    operation,
    reference: formatReference(ref),
    headers: method === 'HEAD' || method === 'GET' ? { Accept: MANIFEST_ACCEPT } : undefined,
  };
}
