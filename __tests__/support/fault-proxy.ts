/**
 * A fault-injecting HTTP proxy for integration tests. It sits between the registry client and a plain-http
 * registry on 127.0.0.1, streams everything both ways and, when a rule matches, injects a fault instead.
 * A second listener stands for "another origin" (like ghcr.io's blob CDN host): it only records and forwards.
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
import { pipeline, Transform } from 'node:stream';

/** One request as a listener received it. */
export interface RequestRecord {
  method: string;
  /** Path and query, as received. */
  path: string;
  authorization?: string;
  /** The status sent to the client (absent when the connection was dropped before any response). */
  status?: number;
  /** The fault applied, e.g. `status 503`, `drop`, `truncate 10`, `corrupt`, `redirect`, `delay 50`. */
  fault?: string;
}

/** What to do instead of (or on top of) plain forwarding. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'drop' }
  | { kind: 'truncate'; bytes: number }
  | { kind: 'corrupt' }
  | { kind: 'redirect'; to: 'other-origin' }
  | { kind: 'delay'; ms: number };

/** Applies `fault` to the first `times` (default 1) requests matching `method` (if given) and `path`. */
export interface FaultRule {
  method?: string;
  /** Matched against path and query. */
  path: RegExp;
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
  addRule(rule: FaultRule): void;
  clearRules(): void;
  close(): Promise<void>;
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

/** `status 503`, `truncate 10`, `delay 50`, or just the kind. */
function describeFault(fault: Fault): string {
  if (fault.kind === 'status') return `status ${fault.status}`;
  if (fault.kind === 'truncate') return `truncate ${fault.bytes}`;
  return fault.kind === 'delay' ? `delay ${fault.ms}` : fault.kind;
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

/** One request being handled: what came in, where it is answered, and its record. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RequestRecord;
  /** The proxy origin that received the request. */
  origin: string;
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
 * Starts the proxy in front of `upstream`, an origin such as `http://127.0.0.1:5100`. The other origin forwards
 * to `otherUpstream` when given (like ghcr.io's blob host, which serves without the registry's credentials).
 */
export async function startFaultProxy(upstream: string, otherUpstream?: string): Promise<FaultProxy> {
  const mainTarget = new URL(upstream);
  const otherTarget = otherUpstream ? new URL(otherUpstream) : mainTarget;
  const agent = new Agent({ keepAlive: true });
  const rules: { rule: FaultRule; left: number }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const requests: RequestRecord[] = [];
  const otherOriginRequests: RequestRecord[] = [];
  let mainOrigin = '';
  let otherOrigin = '';

  /** The first rule that matches and has uses left; using it counts down. */
  function takeFault(method: string, path: string): Fault | undefined {
    for (const entry of rules) {
      const { method: wanted, path: pattern } = entry.rule;
      if (entry.left > 0 && (wanted === undefined || wanted === method) && path.search(pattern) !== -1) {
        entry.left -= 1;
        return entry.rule.fault;
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
    else pipeline(upstreamRes, res, noop);
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
    const upstreamReq = request(target, { agent, method: req.method, path: req.url, headers });
    let answered = false;
    upstreamReq.on('response', (upstreamRes) => {
      answered = true;
      respond(exchange, upstreamRes, fault);
    });
    upstreamReq.on('error', (error) => {
      if (answered) return; // the response, if cut short, fails on its own
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
    req.pipe(upstreamReq);
  }

  function handle(req: IncomingMessage, res: ServerResponse, main: boolean): void {
    const record: RequestRecord = { method: req.method ?? 'GET', path: req.url ?? '/' };
    if (req.headers.authorization !== undefined) record.authorization = req.headers.authorization;
    (main ? requests : otherOriginRequests).push(record);
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    const exchange: Exchange = { req, res, record, origin: main ? mainOrigin : otherOrigin };
    const fault = main ? takeFault(record.method, record.path) : undefined;
    if (fault !== undefined) record.fault = describeFault(fault);
    switch (fault?.kind) {
      case undefined:
      case 'truncate':
      case 'corrupt':
        forward(exchange, fault);
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
  const host = await listen(mainServer);
  otherOrigin = `http://${await listen(otherServer)}`;
  mainOrigin = `http://${host}`;

  return {
    url: mainOrigin,
    host,
    otherOrigin,
    requests,
    otherOriginRequests,
    addRule(rule) {
      rules.push({ rule, left: rule.times ?? 1 });
    },
    clearRules() {
      rules.length = 0;
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
