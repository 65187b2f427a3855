// The HTTPS server of the https-vs-requests section, in its own process: the same
// 27-byte JSON body as the loopback server, keep-alive, over TLS with a throwaway
// CA's certificate. Waits for { key, cert } on IPC, answers { port }.
import { createServer } from 'node:https';

const body = Buffer.from('{"ok":true,"bench":"fetch"}');

process.once('message', ({ key, cert }) => {
  const server = createServer({ key, cert }, (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
});

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
