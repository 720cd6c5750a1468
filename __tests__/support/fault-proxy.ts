/**
 * A fault-injecting HTTP proxy for integration tests. It sits between the registry client and a plain-http
 * registry on 127.0.0.1, streams everything both ways and, when a rule matches, injects a fault instead.
 * A second listener stands for "another origin" (like ghcr.io's blob CDN host): it only records and forwards.
 * Any HTTP upstream can be fronted (a registry, or the token service its challenges name: see `realm`), and an
 * outage window stands for a registry restarted mid-transfer: every connection is cut, new ones are reset.
 */
import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { pipeline, Transform } from 'node:stream';

/** One request as a listener received it. */
export interface RequestRecord {
  method: string;
  /** Path and query, as received. */
  path: string;
  authorization?: string;
  /** The status sent to the client (absent when the connection was dropped before any response). */
  status?: number;
  /**
   * The fault applied, e.g. `status 503`, `drop`, `truncate 10`, `corrupt`, `redirect`, `delay 50`,
   * `trickle 1024/50`, `cut-request 1000`, `outage 2000`; `outage` alone on a request reset during an outage.
   */
  fault?: string;
}

/** What to do instead of (or on top of) plain forwarding. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'drop' }
  | { kind: 'truncate'; bytes: number }
  | { kind: 'corrupt' }
  | { kind: 'redirect'; to: 'other-origin' }
  | { kind: 'delay'; ms: number }
  /** The response body in pieces of `bytes`, one every `everyMs`: slow, but always moving. */
  | { kind: 'trickle'; bytes: number; everyMs: number }
  /**
   * Forwards the request, then cuts both connections once `bytes` of its body went through (an upload cut). The
   * rule is used by the first matching request whose body reaches `bytes` (uploads in parallel do not race for
   * it); shorter bodies go through whole.
   */
  | { kind: 'cut-request'; bytes: number }
  /**
   * A registry restarted: for `ms`, every connection to the main origin is cut (in flight ones included) and
   * every new one is reset. It starts when the request arrives, or once `afterBytes` of its body went through
   * (mid-upload; used, like `cut-request`, by the first body that gets that far); the request is cut with the rest.
   */
  | { kind: 'outage'; ms: number; afterBytes?: number };

/** Applies `fault` to the first `times` (default 1) requests matching `method` (if given) and `path`. */
export interface FaultRule {
  method?: string;
  /** Matched against path and query. */
  path: RegExp;
  /** Matched against the User-Agent header when given (e.g. /docker/ for the docker daemon's requests). */
  userAgent?: RegExp;
  times?: number;
  fault: Fault;
}

export interface FaultProxy {
  /** The main origin, `http://127.0.0.1:PORT`: faults apply here. */
  url: string;
  /** `127.0.0.1:PORT` of the main origin. */
  host: string;
  /** A second listener, never faulted: it records (Authorization included) and forwards. */
  otherOrigin: string;
  requests: RequestRecord[];
  otherOriginRequests: RequestRecord[];
  /** Connections and requests reset because an outage was on. */
  readonly refused: number;
  addRule(rule: FaultRule): void;
  clearRules(): void;
  /** Starts an outage of the main origin now, for `ms` (see the `outage` fault). */
  outage(ms: number): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /**
   * The token realm to announce instead of the upstream's: every `realm="..."` of a WWW-Authenticate answer is
   * replaced, so clients fetch their tokens there (e.g. through another proxy in front of the token service).
   */
  realm?: string;
  /**
   * Cross-repository mounts are declined, as by a registry that cannot mount: the `mount` and `from` parameters
   * of an upload POST are dropped on the way upstream, which then opens a plain upload (202) and the client
   * uploads the bytes. Rules still see the path as the client sent it.
   */
  noMounts?: boolean;
}

/** Headers that describe one connection, not the message: never forwarded. `host` is set anew. */
const HOP_BY_HOP = /^(connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade|expect|host)$/;

/** The end-to-end headers: hop-by-hop ones and those the Connection header names are left out. */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .toLowerCase()
    .split(',')
    .map((name) => name.trim());
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.test(name) && !named.includes(name)) out[name] = value;
  }
  return out;
}

/** `status 503`, `truncate 10`, `delay 50`, `trickle 1024/50`, `cut-request 10`, `outage 2000`, or the kind. */
function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'status':
      return `status ${fault.status}`;
    case 'truncate':
    case 'cut-request':
      return `${fault.kind} ${fault.bytes}`;
    case 'delay':
    case 'outage':
      return `${fault.kind} ${fault.ms}`;
    case 'trickle':
      return `trickle ${fault.bytes}/${fault.everyMs}`;
    default:
      return fault.kind;
  }
}

/** The path and query of an upload POST without its `mount` and `from` parameters. */
function withoutMount(path: string): string {
  const url = new URL(path, 'http://proxy.invalid');
  url.searchParams.delete('mount');
  url.searchParams.delete('from');
  return url.pathname + url.search;
}

/** Every `realm="..."` of a WWW-Authenticate value, pointed at `realm`. */
function withRealm(challenge: string, realm: string): string {
  return challenge.replace(/realm="[^"]*"/gi, `realm="${realm}"`);
}

/**
 * Passes the first `limit` bytes through, then asks `claim` whether the fault is this body's: if so, passes
 * nothing more and calls `onLimit` once; if not (another request used the rule), passes the rest through.
 */
function cutAfter(limit: number, claim: () => boolean, onLimit: () => void): Transform {
  let left = limit;
  let cutting = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (cutting) return done();
      if (left <= 0) return done(null, chunk);
      const part = chunk.subarray(0, left);
      left -= part.length;
      if (left > 0) return done(null, part);
      cutting = claim();
      done(null, cutting ? part : chunk);
      if (cutting) setTimeout(onLimit, 0); // once the part is on its way upstream
    },
  });
}

/** A fault that fires once enough of a request body went through: used only then. */
function isBodyFault(fault: Fault): boolean {
  return fault.kind === 'cut-request' || (fault.kind === 'outage' && fault.afterBytes !== undefined);
}

/** Passes bytes through, flipping every bit of the byte at `index`. */
function flipByteAt(index: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let out = chunk;
      if (index >= seen && index < seen + chunk.length) {
        out = Buffer.from(chunk);
        out.writeUInt8(out.readUInt8(index - seen) ^ 0xff, index - seen);
      }
      seen += chunk.length;
      done(null, out);
    },
  });
}

/**
 * Passes bytes through in pieces of exactly `bytes` (the last one may be shorter), one every `everyMs`, however
 * the upstream chunked them; input waits meanwhile (backpressure). Timers are kept in `timers`, for close().
 */
function trickle(bytes: number, everyMs: number, timers: Set<NodeJS.Timeout>): Transform {
  let pending = Buffer.alloc(0);
  return new Transform({
    transform(this: Transform, chunk: Buffer, _encoding, done) {
      pending = Buffer.concat([pending, chunk]);
      const next = (): void => {
        if (this.destroyed) return;
        if (pending.length < bytes) return done();
        this.push(pending.subarray(0, bytes));
        pending = pending.subarray(bytes);
        const timer = setTimeout(() => {
          timers.delete(timer);
          next();
        }, everyMs);
        timers.add(timer);
      };
      next();
    },
    flush(done) {
      done(null, pending.length > 0 ? pending : undefined);
    },
  });
}

/** One request being handled: what came in, where it is answered, and its record. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RequestRecord;
  /** The proxy origin that received the request. */
  origin: string;
  /** Uses the matching rule if it has uses left (body faults are used when their byte count is reached). */
  claim: () => boolean;
}

/** Listens on an ephemeral port of 127.0.0.1; resolves to `127.0.0.1:PORT`. */
function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('fault proxy: no TCP address'));
      else resolve(`127.0.0.1:${address.port}`);
    });
  });
}

/**
 * Starts the proxy in front of `upstream`, an origin such as `http://127.0.0.1:5100` (a registry, a token
 * service: any plain-http server). The other origin forwards to `otherUpstream` when given (like ghcr.io's blob
 * host, which serves without the registry's credentials).
 */
export async function startFaultProxy(
  upstream: string,
  otherUpstream?: string,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
  const mainTarget = new URL(upstream);
  const otherTarget = otherUpstream ? new URL(otherUpstream) : mainTarget;
  const agent = new Agent({ keepAlive: true });
  const rules: { rule: FaultRule; left: number }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const requests: RequestRecord[] = [];
  const otherOriginRequests: RequestRecord[] = [];
  let mainOrigin = '';
  let otherOrigin = '';
  /** The main origin's open client connections and upstream requests: an outage cuts them all. */
  const mainSockets = new Set<Socket>();
  const mainUpstream = new Set<ReturnType<typeof request>>();
  let outageUntil = 0;
  let refused = 0;
  const inOutage = (): boolean => Date.now() < outageUntil;

  function startOutage(ms: number): void {
    outageUntil = Math.max(outageUntil, Date.now() + ms);
    for (const socket of mainSockets) socket.resetAndDestroy();
    for (const upstreamReq of mainUpstream) upstreamReq.destroy();
  }

  /**
   * The first rule that matches and has uses left. Using it counts down: at once, or for a body fault only when
   * `claim` is called (its body got far enough), if a use is still left then.
   */
  function takeFault(
    method: string,
    path: string,
    userAgent: string,
  ): { fault: Fault; claim: () => boolean } | undefined {
    for (const entry of rules) {
      const { method: wanted, path: pattern, userAgent: agentPattern } = entry.rule;
      if (
        entry.left > 0 &&
        (wanted === undefined || wanted === method) &&
        path.search(pattern) !== -1 &&
        (agentPattern === undefined || userAgent.search(agentPattern) !== -1)
      ) {
        const claim = (): boolean => entry.left > 0 && (entry.left -= 1) >= 0;
        if (!isBodyFault(entry.rule.fault)) claim();
        return { fault: entry.rule.fault, claim };
      }
    }
    return undefined;
  }

  /** Points an absolute Location at the upstream back at the proxy origin that received the request. */
  function rebase(location: string, origin: string): string {
    const target = origin === otherOrigin ? otherTarget : mainTarget;
    const rest = location.slice(target.origin.length);
    const atUpstream = location.startsWith(target.origin) && (rest === '' || /^[/?#]/.test(rest));
    return atUpstream ? origin + rest : location;
  }

  /** Closes the connection once what was written is flushed: the client sees a body cut short. */
  function cut(res: ServerResponse, upstreamRes: IncomingMessage): void {
    upstreamRes.destroy();
    const socket = res.socket;
    if (socket === null) return;
    socket.once('finish', () => socket.destroy());
    socket.end();
  }

  function respond({ res, record, origin }: Exchange, upstreamRes: IncomingMessage, fault?: Fault): void {
    const status = upstreamRes.statusCode ?? 502;
    const headers = endToEnd(upstreamRes.headers);
    if (upstreamRes.headers.location !== undefined) {
      headers.location = rebase(upstreamRes.headers.location, origin);
    }
    const challenge = upstreamRes.headers['www-authenticate'];
    if (options.realm !== undefined && challenge !== undefined) {
      headers['www-authenticate'] = withRealm(challenge, options.realm);
    }
    record.status = status;
    upstreamRes.on('error', () => res.destroy());

    if (fault?.kind === 'truncate') {
      res.writeHead(status, upstreamRes.statusMessage, headers).flushHeaders();
      let left = fault.bytes;
      if (left <= 0) cut(res, upstreamRes);
      upstreamRes.on('data', (chunk: Buffer) => {
        if (left <= 0) return;
        const part = chunk.subarray(0, left);
        left -= part.length;
        const flowing = res.write(part);
        if (left <= 0) cut(res, upstreamRes);
        else if (!flowing) {
          upstreamRes.pause();
          res.once('drain', () => upstreamRes.resume());
        }
      });
      upstreamRes.on('end', () => {
        if (left > 0) cut(res, upstreamRes);
      });
      return;
    }

    const length = Number(upstreamRes.headers['content-length'] ?? NaN);
    if (fault?.kind === 'corrupt' && !(length > 0)) {
      // Length unknown: buffer this (small) response, then flip its middle byte.
      const chunks: Buffer[] = [];
      upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamRes.on('end', () => {
        const body = Buffer.concat(chunks);
        const middle = Math.floor(body.length / 2);
        if (body.length > 0) body.writeUInt8(body.readUInt8(middle) ^ 0xff, middle);
        headers['content-length'] = String(body.length);
        res.writeHead(status, upstreamRes.statusMessage, headers);
        res.end(body);
      });
      return;
    }

    res.writeHead(status, upstreamRes.statusMessage, headers);
    const noop = (): void => undefined;
    if (fault?.kind === 'corrupt') pipeline(upstreamRes, flipByteAt(Math.floor(length / 2)), res, noop);
    else if (fault?.kind === 'trickle')
      pipeline(upstreamRes, trickle(fault.bytes, fault.everyMs, timers), res, noop);
    else pipeline(upstreamRes, res, noop);
  }

  /** The request body on its way upstream: whole, or cut (or the outage started) after some bytes. */
  function sendBody(exchange: Exchange, upstreamReq: ReturnType<typeof request>, fault?: Fault): void {
    const { req, record } = exchange;
    const claim = (): boolean => {
      const mine = exchange.claim();
      if (mine && fault !== undefined) record.fault = describeFault(fault);
      return mine;
    };
    if (fault?.kind === 'cut-request') {
      const cutBoth = (): void => {
        req.socket.resetAndDestroy();
        upstreamReq.destroy();
      };
      req.pipe(cutAfter(fault.bytes, claim, cutBoth)).pipe(upstreamReq);
    } else if (fault?.kind === 'outage' && fault.afterBytes !== undefined) {
      const { ms } = fault;
      req.pipe(cutAfter(fault.afterBytes, claim, () => startOutage(ms))).pipe(upstreamReq);
    } else {
      req.pipe(upstreamReq);
    }
  }

  function forward(exchange: Exchange, fault?: Fault): void {
    const { req, res, record } = exchange;
    if (res.destroyed) return; // the client left during a delay
    const target = exchange.origin === otherOrigin ? otherTarget : mainTarget;
    const headers = endToEnd(req.headers);
    headers.host = target.host;
    if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
      headers['transfer-encoding'] = 'chunked';
    }
    const mount = options.noMounts === true && req.method === 'POST' && /[?&]mount=/.test(record.path);
    const path = mount ? withoutMount(record.path) : record.path;
    const upstreamReq = request(target, { agent, method: req.method, path, headers });
    if (exchange.origin === mainOrigin) {
      mainUpstream.add(upstreamReq);
      upstreamReq.on('close', () => mainUpstream.delete(upstreamReq));
    }
    let answered = false;
    upstreamReq.on('response', (upstreamRes) => {
      answered = true;
      respond(exchange, upstreamRes, fault);
    });
    upstreamReq.on('error', (error) => {
      // The response, if cut short, fails on its own; a connection cut on purpose gets no answer.
      if (answered || res.destroyed || req.socket.destroyed) return;
      record.status = 502;
      req.resume();
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`fault proxy: upstream failed: ${error.message}`);
    });
    // The client went away before the whole response was sent: stop talking to the upstream too.
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    sendBody(exchange, upstreamReq, fault);
  }

  function handle(req: IncomingMessage, res: ServerResponse, main: boolean): void {
    const record: RequestRecord = { method: req.method ?? 'GET', path: req.url ?? '/' };
    if (req.headers.authorization !== undefined) record.authorization = req.headers.authorization;
    (main ? requests : otherOriginRequests).push(record);
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    if (main && inOutage()) {
      // A request on a connection opened just before the outage began: it is cut with the rest.
      refused += 1;
      record.fault = 'outage';
      req.socket.resetAndDestroy();
      return;
    }
    const userAgent = req.headers['user-agent'] ?? '';
    const taken = main ? takeFault(record.method, record.path, userAgent) : undefined;
    const fault = taken?.fault;
    const claim = taken?.claim ?? ((): boolean => false);
    const exchange: Exchange = { req, res, record, origin: main ? mainOrigin : otherOrigin, claim };
    if (fault !== undefined && !isBodyFault(fault)) record.fault = describeFault(fault);
    switch (fault?.kind) {
      case undefined:
      case 'truncate':
      case 'corrupt':
      case 'trickle':
      case 'cut-request':
        forward(exchange, fault);
        return;
      case 'outage':
        if (fault.afterBytes !== undefined) forward(exchange, fault);
        else startOutage(fault.ms);
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          forward(exchange);
        }, fault.ms);
        timers.add(timer);
        return;
      }
      case 'drop':
        req.socket.destroy();
        return;
      case 'status':
        record.status = fault.status;
        req.resume();
        res.writeHead(fault.status, fault.headers ?? {}).end(fault.body ?? '');
        return;
      case 'redirect':
        record.status = 307;
        req.resume();
        res.writeHead(307, { location: otherOrigin + record.path }).end();
        return;
    }
  }

  // No request timeout: uploads of hundreds of MiB may legitimately take a while.
  const mainServer = createServer({ requestTimeout: 0 }, (req, res) => handle(req, res, true));
  const otherServer = createServer({ requestTimeout: 0 }, (req, res) => handle(req, res, false));
  mainServer.on('connection', (socket: Socket) => {
    if (inOutage()) {
      refused += 1;
      socket.resetAndDestroy();
      return;
    }
    mainSockets.add(socket);
    socket.on('close', () => mainSockets.delete(socket));
  });
  const host = await listen(mainServer);
  otherOrigin = `http://${await listen(otherServer)}`;
  mainOrigin = `http://${host}`;

  return {
    url: mainOrigin,
    host,
    otherOrigin,
    requests,
    otherOriginRequests,
    get refused() {
      return refused;
    },
    addRule(rule) {
      rules.push({ rule, left: rule.times ?? 1 });
    },
    clearRules() {
      rules.length = 0;
    },
    outage(ms) {
      startOutage(ms);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stop = (server: Server): Promise<void> =>
        new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      await Promise.all([stop(mainServer), stop(otherServer)]);
      agent.destroy();
    },
  };
}
