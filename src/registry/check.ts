/** Proving rights before any work (go-containerregistry's CheckPushPermission in spirit): nothing is written. */
import type { Reference } from './reference.js';
import { pullScope, pushScope } from './scope.js';
import type { Transport } from './transport.js';

/** A token handshake for pull and one small read; a repository that does not exist (404) is not a refusal. */
export async function checkPullPermission(t: Transport, ref: Reference): Promise<void> {
  const response = await t.request({
    method: 'GET',
    url: `/v2/${ref.repository}/tags/list?n=1`,
    scopes: pullScope(ref.repository),
    expect: [200, 404],
    operation: 'check pull permission for',
    reference: `${ref.registry}/${ref.repository}`,
  });
  await response.body?.cancel();
}

/**
 * Opens a blob upload; the registry's refusal (401, 403) is thrown as its RegistryError.
 *
 * The cheapest proof of push rights: one POST, sent with the command's one token (client.expectAccess). The
 * empty upload is left to expire on its own (registries purge abandoned uploads). Cancelling it is not worth a
 * request: distribution wants the delete action for that, so a cancel with a push token is refused anyway, and
 * asking for delete rights just to tidy up would ask for more than the command needs.
 */
export async function checkPushPermission(t: Transport, ref: Reference): Promise<void> {
  const started = await t.request({
    method: 'POST',
    url: `/v2/${ref.repository}/blobs/uploads/`,
    scopes: pushScope(ref.repository),
    expect: [202],
    operation: 'check push permission for',
    reference: `${ref.registry}/${ref.repository}`,
  });
  await started.body?.cancel();
}
