// How each bench server runs: in its own process (forked by a section), on a free loopback
// port it reports to the parent (or prints when started by hand), with keep-alive sockets
// that outlive a section's pauses, and gone as soon as the parent is.

/** Listens on 127.0.0.1:0, tells the parent the port, and exits with the parent. */
export function serveChild(server, { requestTimeout } = {}) {
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.maxRequestsPerSocket = 0;
  if (requestTimeout !== undefined) server.requestTimeout = requestTimeout;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    if (process.send) process.send({ port });
    else console.log(`listening on http://127.0.0.1:${port}/`);
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}
