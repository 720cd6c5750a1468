// A TCP proxy on 127.0.0.1 that delays every chunk by half the round-trip time in each direction, so a
// loopback registry answers like one across a network (a request/answer pair costs one RTT, a new connection
// one more). Order is kept: a chunk never overtakes the one before it.
import { createServer, connect } from 'node:net';

/**
 * Pipes `from` into `to`, each chunk `delayMs` after it arrived, in order: one queue and one timer per
 * direction (separate timers per chunk can fire out of order and corrupt the stream).
 */
function delayedPipe(from, to, delayMs) {
  const queue = [];
  let timer;
  const pump = () => {
    timer = undefined;
    const now = Date.now();
    while (queue.length && queue[0].due <= now) {
      const { chunk } = queue.shift();
      if (chunk === null) to.end();
      else to.write(chunk);
    }
    if (queue.length) timer = setTimeout(pump, queue[0].due - now);
  };
  const push = (chunk) => {
    queue.push({ due: Date.now() + delayMs, chunk });
    timer ??= setTimeout(pump, delayMs);
  };
  from.on('data', push);
  from.on('end', () => push(null));
  from.on('error', () => to.destroy());
}

/**
 * Starts the proxy in front of 127.0.0.1:targetPort with round-trip time `rttMs`; resolves with its port and a
 * close().
 */
export function startLatencyProxy(targetPort, rttMs) {
  const oneWay = rttMs / 2;
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    // The connection itself costs a round trip before the first byte can reach the server.
    client.pause();
    setTimeout(() => client.resume(), rttMs);
    delayedPipe(client, upstream, oneWay);
    delayedPipe(upstream, client, oneWay);
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

// As a program (the suite runs it as a child, so that its own blocking setup calls cannot stall the proxy):
// node bench/latency-proxy.mjs TARGET_PORT RTT_MS prints the proxy's port and runs until killed.
if (process.argv[1] === import.meta.filename) {
  const proxy = await startLatencyProxy(Number(process.argv[2]), Number(process.argv[3]));
  process.stdout.write(`${proxy.port}\n`);
}
