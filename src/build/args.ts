import { repositoryOf } from '../registry/index.js';
import type { BuildRequest } from './types.js';

/** The argv every builder shares: --tag per tag, --label and --build-arg per entry, --target when set. */
export function imageArgs(request: BuildRequest): string[] {
  const repository = repositoryOf(request.image);
  const args: string[] = [];
  for (const tag of request.tags) args.push('--tag', `${repository}:${tag}`);
  for (const [key, value] of Object.entries(request.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(request.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (request.target) args.push('--target', request.target);
  return args;
}
