/**
 * Looking for secrets where they must not be: every form a credential takes on the wire or on disk (the text
 * itself, base64 of `user:secret` as in a docker config or a Basic header, base64 of the secret alone), searched
 * byte for byte in logs and files, binary files and gzip-compressed blobs included.
 */
import { gunzipSync } from 'node:zlib';

export interface Secret {
  /** What the secret is, for messages (never the secret itself). */
  name: string;
  value: string;
}

/** A place a secret could end up: a log, a file, a blob. */
export interface Place {
  where: string;
  bytes: Buffer;
}

/** The forms a secret takes: itself, base64 of `user:secret` for each user, base64 of itself. */
export function secretForms(secret: Secret, users: string[]): { form: string; text: string }[] {
  const forms = [{ form: 'as is', text: secret.value }];
  for (const user of new Set(users))
    forms.push({
      form: `base64 of '${user}:…'`,
      text: Buffer.from(`${user}:${secret.value}`).toString('base64'),
    });
  forms.push({ form: 'base64', text: Buffer.from(secret.value).toString('base64') });
  return forms;
}

/** A log as the runner shows it: its own `::add-mask::` commands are consumed, never printed. */
export function withoutMaskCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The bytes to search in a blob: gzip data is searched uncompressed (a layer), anything else as it is. */
export function searchable(bytes: Buffer): Buffer {
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return Buffer.concat([bytes, gunzipSync(bytes)]);
    } catch {
      return bytes;
    }
  }
  return bytes;
}

/** Every secret form found in every place, as '<secret name> (<form>) in <where>'. */
export function findLeaks(places: Place[], secrets: Secret[], users: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.value === '') continue;
    for (const { form, text } of secretForms(secret, users)) {
      const needle = Buffer.from(text);
      for (const place of places)
        if (place.bytes.includes(needle)) found.push(`${secret.name} (${form}) in ${place.where}`);
    }
  }
  return found;
}
