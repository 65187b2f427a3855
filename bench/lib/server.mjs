// The loopback server the network sections talk to. Runs in its own process
// (forked by run.mjs) so that its work does not land on the client's event loop.
//
// Routes (query string, any path):
//   default          200, a 27-byte JSON body
//   ?cookie=<value>  the same, plus `Set-Cookie: sid=<value>; Path=/`
import { createServer } from 'node:http';
import { serveChild } from './serve-child.mjs';

const body = Buffer.from('{"ok":true,"bench":"fetch"}');

const server = createServer((req, res) => {
  const q = req.url.indexOf('?cookie=');
  const headers = { 'content-type': 'application/json', 'content-length': body.length };
  if (q !== -1) headers['set-cookie'] = `sid=${req.url.slice(q + 8)}; Path=/`;
  // Drain whatever the client sent before answering, so keep-alive stays clean.
  req.resume();
  res.writeHead(200, headers);
  res.end(body);
});
serveChild(server);
