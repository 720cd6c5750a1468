/** Proving rights before any work (go-containerregistry's CheckPushPermission in spirit): nothing is written. */
import type { Reference } from './reference.js';
import { pullScope, pushScope, type Scope } from './scope.js';
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
 * Opens a blob upload and cancels it; the registry's refusal (401, 403) is thrown as its RegistryError.
 *
 * The cheapest sequence that proves push rights (go-containerregistry's CheckPushPermission does the same):
 * the POST is the proof, sent with the command's one token (client.expectAccess). The cancel is housekeeping,
 * not proof: it goes out with that same token, is not awaited, and is never answered with a second token
 * round. A registry that wants the delete action for it (distribution does) refuses it, and the empty upload
 * expires on its own; asking for delete rights just to tidy up would cost a token request and a refused
 * DELETE, and ask for more than the command needs.
 */
export async function checkPushPermission(t: Transport, ref: Reference): Promise<void> {
  const reference = `${ref.registry}/${ref.repository}`;
  const scopes = pushScope(ref.repository);
  const started = await t.request({
    method: 'POST',
    url: `/v2/${ref.repository}/blobs/uploads/`,
    scopes,
    expect: [202],
    operation: 'check push permission for',
    reference,
  });
  await started.body?.cancel();
  const location = started.headers.get('location');
  if (location) void cancelUpload(t, location, scopes, reference);
}

/** Best effort, once, with the token at hand: every answer is accepted (a 401 is not a new handshake). */
async function cancelUpload(t: Transport, location: string, scopes: Scope[], reference: string) {
  try {
    const cancelled = await t.request({
      method: 'DELETE',
      url: location,
      scopes,
      expect: [200, 202, 204, 401, 403, 404, 405],
      operation: 'cancel the permission-check upload for',
      reference,
      retry: false,
    });
    await cancelled.body?.cancel();
  } catch (error) {
    t.log.debug(`Cancelling the permission-check upload failed (it expires on its own): ${String(error)}`);
  }
}
