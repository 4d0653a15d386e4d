// A round-robin TCP front door for the local cluster command (scripts/cluster.ts): each connection
// goes to the next backend that accepts it. Enough for trying several nodes on one machine; in
// production a real load balancer (HAProxy, nginx, LVS) takes this place (server/cluster/README.md).
// No stickiness is needed: browsers speak Socket.IO over WebSocket only, so a session's every packet
// rides its one connection, and devices keep one TCP connection each.
import net from 'node:net';

export interface Balancer {
  port: number;
  close(): Promise<void>;
}

export function startBalancer(listenPort: number, host: string, backends: number[], onError: (msg: string) => void = () => {}): Promise<Balancer> {
  let next = 0;
  const server = net.createServer((client) => {
    const tryBackend = (left: number) => {
      const port = backends[next++ % backends.length]!;
      const upstream = net.connect(port, '127.0.0.1');
      upstream.once('connect', () => {
        client.pipe(upstream).pipe(client);
      });
      upstream.once('error', (err) => {
        if (!upstream.readyState.includes('open') && left > 1) return tryBackend(left - 1); // that node is down: the next one
        onError(`backend :${port}: ${err.message}`);
        client.destroy();
      });
      client.once('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    };
    tryBackend(backends.length);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
