/** The 'destination' input of pull: the docker daemon, an OCI layout folder, or a docker archive file. */
import { existsSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ActionError } from '../errors.js';
import { layoutProblem } from '../registry/index.js';

export type Destination =
  { kind: 'docker' } | { kind: 'oci-layout'; path: string } | { kind: 'docker-archive'; path: string };

/** How a destination is named in logs and the summary. */
export function describeDestination(destination: Destination): string {
  return destination.kind === 'docker' ? 'docker' : `${destination.kind}:${destination.path}`;
}

/** The `destination` input, checked before anything is fetched or written. */
export function destinationInput(value: string): Destination {
  if (!value || value === 'docker' || value === 'docker-daemon') return { kind: 'docker' };
  const colon = value.indexOf(':');
  const kind = colon > 0 ? value.slice(0, colon) : '';
  const path = colon > 0 ? resolvePath(value.slice(colon + 1)) : '';
  if ((kind !== 'oci-layout' && kind !== 'docker-archive') || !value.slice(colon + 1)) {
    throw new ActionError(
      `Input 'destination' is '${value}', which is not a destination.`,
      "use 'docker' (the default: the local docker daemon), 'oci-layout:DIR' or 'docker-archive:FILE'.",
    );
  }
  if (kind === 'oci-layout') {
    const problem = layoutProblem(path);
    if (problem) {
      throw new ActionError(
        `Input 'destination' is '${value}', but ${path}: ${problem}.`,
        'name a new or empty folder, or an existing OCI layout to add to.',
      );
    }
    return { kind, path };
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new ActionError(
      `Input 'destination' is '${value}', but ${path} is a folder.`,
      'name a file for the archive, e.g. docker-archive:image.tar.',
    );
  }
  return { kind, path };
}
