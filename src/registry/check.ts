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

/** Opens a blob upload and cancels it; the registry's refusal (401, 403) is thrown as its RegistryError. */
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
  if (!location) return;
  // Best effort: some registries want the delete action to cancel an upload; an abandoned one expires.
  try {
    const cancelled = await t.request({
      method: 'DELETE',
      url: location,
      scopes,
      expect: [200, 202, 204, 404],
      operation: 'cancel the permission-check upload for',
      reference,
    });
    await cancelled.body?.cancel();
  } catch (error) {
    t.log.debug(`Cancelling the permission-check upload failed (it expires on its own): ${String(error)}`);
  }
}
