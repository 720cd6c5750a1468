import * as core from '@actions/core';
import type { RunContext } from '../context.js';
import { dockerLogin } from '../docker/login.js';
import { chooseCredentials, type CredentialChoice } from '../github/credentials.js';
import type { Inputs } from '../inputs.js';
import { newRegistryClient } from '../log.js';
import type { Reference } from '../registry/index.js';
import { saveLogin } from '../state.js';
import { USER_AGENT } from '../version.js';

/**
 * Chooses and proves the credentials for what a command will do on `inputs.registry` (references on other
 * registries are read anonymously), raises the choice's warnings and notices, and logs docker in for later
 * steps. Nothing has been built, pushed or changed when this throws.
 */
export async function authenticate(
  inputs: Inputs,
  context: RunContext,
  needs: { push: Reference[]; pull: Reference[] },
): Promise<CredentialChoice> {
  const onRegistry = (refs: Reference[]) => refs.filter((ref) => ref.registry === inputs.registry);
  const choice = await core.group(`Credentials for ${inputs.registry}`, async () => {
    const chosen = await chooseCredentials(
      {
        registry: inputs.registry,
        githubToken: inputs.githubToken,
        pat: inputs.pat,
        password: inputs.password,
        username: inputs.username,
        push: onRegistry(needs.push),
        pull: onRegistry(needs.pull),
        context,
        userAgent: USER_AGENT,
      },
      {
        newClient: (credentials) => newRegistryClient(inputs.registry, credentials),
        debug: (m) => core.debug(m),
      },
    );
    const proven = onRegistry(needs.push).length + onRegistry(needs.pull).length > 0;
    core.info(
      `Using ${chosen.method} for ${inputs.registry}${proven ? ' (proven)' : ' (nothing to prove: this run writes nothing there)'}.`,
    );
    return chosen;
  });
  for (const note of choice.annotations) {
    if (note.level === 'warning') core.warning(note.message, { title: 'Registry credentials' });
    else core.notice(note.message, { title: 'Registry credentials' });
  }
  if (choice.credentials) await loginForLaterSteps(inputs, choice);
  return choice;
}

async function loginForLaterSteps(inputs: Inputs, choice: CredentialChoice): Promise<void> {
  const credentials = choice.credentials;
  if (!credentials) return;
  const login = await dockerLogin(inputs.registry, credentials.username, credentials.password);
  if (login.ok) {
    saveLogin(inputs.registry, inputs.logout);
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
