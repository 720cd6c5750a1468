'use strict';
// What the bundled packages import from undici (@actions/http-client: ProxyAgent; @actions/github: fetch, with
// http-client's ProxyAgent as its dispatcher), with undici loaded only when a request goes out through them.
// @actions/core imports @actions/http-client (for OIDC tokens), so without this every run parsed and evaluated
// all of undici at start-up for a proxy agent that is used only when a GitHub API call goes through a proxy.
// tsconfig.json's `paths` maps 'undici' here when ncc bundles; 'undici/index.js' is the real undici (not
// mapped), which ncc puts in a chunk of its own, loaded on first use. Type checks and jest resolve 'undici' as
// node does (the real one): __tests__/integration/undici-on-demand.test.ts tests this file and the bundle.
let loading;
/** The real undici (its module.exports). */
const undici = () => (loading ??= import('undici/index.js').then((m) => m.default ?? m));

/** Keeps its options; the real agent is made when fetch below first sends a request through it. */
class ProxyAgent {
  constructor(options) {
    this.options = options;
    this.agent = undefined;
  }

  async real() {
    const { ProxyAgent: Real } = await undici();
    return (this.agent ??= new Real(this.options));
  }

  async close() {
    await this.agent?.close();
  }

  async destroy(error) {
    await this.agent?.destroy(error);
  }
}

/** undici's fetch; a dispatcher made here becomes the real agent first. */
async function undiciFetch(input, init) {
  const real = await undici();
  const dispatcher = init?.dispatcher instanceof ProxyAgent ? await init.dispatcher.real() : init?.dispatcher;
  return real.fetch(input, dispatcher === undefined ? init : { ...init, dispatcher });
}

module.exports = { ProxyAgent, fetch: undiciFetch };
