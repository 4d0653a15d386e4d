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
    client.on('error', () => {}); // a reset from the far end only ends this connection ('close' follows)
    const tryBackend = (left: number) => {
      const port = backends[next++ % backends.length]!;
      const upstream = net.connect(port, '127.0.0.1');
      // Until it connects, an error means that node is down: the next one takes the connection.
      // (The handlers of a refused attempt must not touch the client, or its close would end it.)
      const refused = (err: Error) => {
        if (left > 1 && !client.destroyed) return tryBackend(left - 1);
        onError(`backend :${port}: ${err.message}`);
        client.destroy();
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        upstream.on('error', () => {}); // 'close' follows and ends the client
        if (client.destroyed) return void upstream.destroy();
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
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
