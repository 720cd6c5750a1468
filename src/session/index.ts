/**
 * A session: credentials chosen and proven for what a command will do on 'registry', an authenticated registry
 * client, and docker logged in for later steps. Commands ask for the access they need and get the client and
 * the method used; nothing has been built, pushed or changed when opening a session fails.
 */
import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { dockerLoginForLaterSteps, type LoginResult } from '../docker/cli.js';
import { dockerConfigCredentials } from '../docker/config.js';
import { chooseCredentials } from '../github/credentials.js';
import { isGitHubRegistry } from '../github/registry.js';
import { tokenKind } from '../github/token-kind.js';
import type { AuthMethod } from '../github/refusals.js';
import type { Inputs } from '../inputs/index.js';
import type { Credentials, Reference, RegistryClient } from '../registry/index.js';
import { saveLogin } from '../state.js';
import { USER_AGENT } from '../version.js';
import { readWorkflowFile } from '../workflows/files.js';
import { patInputLine } from '../workflows/locate.js';
import { newRegistryClient } from './client.js';

export interface Session {
  client: RegistryClient;
  /** What was used for 'registry'. */
  method: AuthMethod;
  /** The credentials chosen for 'registry' (undefined: anonymous). */
  credentials: Credentials | undefined;
  /** What is used for a registry host: the method for 'registry', the docker config's login or nothing elsewhere. */
  methodFor(host: string): AuthMethod;
  /**
   * docker logged in to 'registry' for later steps: started when the session opened and run beside the
   * command's own registry work (it is not on its critical path). Await it before a docker or builder call
   * that needs the login, and before the step ends (its notice or warning is printed then, once).
   */
  loggedIn(): Promise<void>;
}

/** What must be proven before any work: push on these repositories, pull on those. */
export interface Access {
  push: Reference[];
  pull: Reference[];
}

type SessionInputs = Pick<Inputs, 'registry' | 'githubToken' | 'pat' | 'password' | 'username' | 'logout'>;

/**
 * Chooses and proves the credentials for `access` on `inputs.registry` (references on other registries are read
 * anonymously or with the docker config's login), raises the choice's warnings and notices, and logs docker in
 * for later steps.
 */
export async function openSession(
  inputs: SessionInputs,
  context: RunContext,
  access: Access,
): Promise<Session> {
  const onRegistry = (refs: Reference[]) => refs.filter((ref) => ref.registry === inputs.registry);
  const [push, pull] = [onRegistry(access.push), onRegistry(access.pull)];
  const choice = await core.group(`Credentials for ${inputs.registry}`, async () => {
    const chosen = await chooseCredentials(
      { ...inputs, push, pull, context, userAgent: USER_AGENT },
      {
        newClient: (credentials, method) =>
          newRegistryClient(inputs.registry, credentials, githubTokenRealms(method, credentials, context)),
        debug: (m) => core.debug(m),
        patLine: () => workflowPatLine(context),
      },
    );
    const proven = push.length + pull.length > 0;
    core.info(
      `Using ${chosen.method} for ${inputs.registry}${proven ? ' (proven)' : ' (nothing to prove: this run writes nothing there)'}.`,
    );
    return chosen;
  });
  for (const note of choice.annotations) {
    const place = note.file && note.line ? { file: note.file, startLine: note.line } : {};
    if (note.level === 'warning') core.warning(note.message, { title: 'Registry credentials', ...place });
    else core.notice(note.message, { title: 'Registry credentials', ...place });
  }
  let loggedIn = async (): Promise<void> => undefined;
  if (choice.credentials) {
    // docker login and buildah store the Basic form: masked here, whether or not a request was made yet.
    const { username, password } = choice.credentials;
    core.setSecret(Buffer.from(`${username}:${password}`).toString('base64'));
    const login = loginForLaterSteps(inputs, choice.credentials, push.length + pull.length > 0);
    let said: Promise<void> | undefined;
    loggedIn = () => (said ??= login.then((say) => say()));
  }
  const methodFor = (host: string): AuthMethod =>
    host === inputs.registry ? choice.method : dockerConfigCredentials(host) ? 'docker-config' : 'anonymous';
  return {
    client: choice.client,
    method: choice.method,
    credentials: choice.credentials,
    methodFor,
    loggedIn,
  };
}

/** The line of the running workflow that passes `pat:` (file read bounded, never an error). */
function workflowPatLine(context: RunContext): number | undefined {
  if (!context.workflowFile) return undefined;
  try {
    const read = readWorkflowFile(context.workspace, context.workflowFile);
    return 'text' in read ? patInputLine(read.text, context.job, context.stepId) : undefined;
  } catch {
    return undefined; // the warning is raised without a place, as before
  }
}

/**
 * Where a GitHub token may be sent for a registry token: only to a token service that is itself one of GitHub's
 * registries (ghcr.io/token), whatever realm the registry's challenge names.
 */
function githubTokenRealms(
  method: AuthMethod,
  credentials: Credentials | undefined,
  context: RunContext,
): ((realm: URL) => string | undefined) | undefined {
  // By the input it came from, or by its prefix (a GitHub token given as 'password').
  const github =
    method === 'github-token' || method === 'pat' || tokenKind(credentials?.password ?? '') !== 'other';
  if (!github) return undefined;
  return (realm) =>
    isGitHubRegistry(realm.host, context) ? undefined : "is not GitHub's: a GitHub token goes to GitHub only";
}

/**
 * Starts docker login; resolves (never rejects) with what to say about it. The post step's state is saved as
 * soon as the login succeeds, so a command that fails meanwhile still leaves the logout to the post step.
 */
async function loginForLaterSteps(
  inputs: SessionInputs,
  credentials: Credentials,
  proven: boolean,
): Promise<() => void> {
  const login = await dockerLoginForLaterSteps(inputs.registry, credentials, proven).catch(
    (error: unknown): LoginResult => ({ ok: false, noDocker: false, reason: String(error) }),
  );
  try {
    if (login.ok) saveLogin(inputs.registry, inputs.logout);
  } catch (error) {
    // Never a rejection nobody awaits (a command that failed first): the post step then has nothing to log out.
    return () => core.warning(`docker logged in, but the post step will not log out: ${String(error)}`);
  }
  return () => sayLogin(inputs, login);
}

function sayLogin(inputs: SessionInputs, login: LoginResult): void {
  if (login.ok) {
    core.info(
      `docker is logged in to ${inputs.registry} for later steps${inputs.logout ? ' (the post step logs out)' : ''}.`,
    );
  } else if (login.noDocker) {
    core.notice(
      `No docker CLI here: skipped docker login to ${inputs.registry}. The action's own registry work does not need it.`,
    );
  } else {
    core.warning(
      `docker login to ${inputs.registry} failed (${login.reason}); later docker steps will not be logged in.`,
    );
  }
}
