// One cold start: import a client, make one request, report the time since this
// process began (performance.now() counts from process start), the import and the
// request (client made + first response read) apart, and the CPU time the process
// used (every thread, Node's boot included: the same for all; less moved by other
// load on the machine than wall time). Every figure stops when the body is read;
// a client that has a close() (the session) closes after that, before the exit. The
// last figure, `exitAt`, is the wall clock (ms) just before `process.exit()`: the parent
// takes from it how long the process took to end (see coldstart.mjs).
// argv: <variant> <url>
const [variant, url] = process.argv.slice(2);
const t0 = performance.now();
let t1 = t0;
let text;
let close;
switch (variant) {
  case 'global fetch': {
    text = await (await fetch(url)).text();
    break;
  }
  case 'undici.request': {
    const { request } = await import('undici');
    t1 = performance.now();
    text = await (await request(url)).body.text();
    break;
  }
  case 'ky': {
    const { default: ky } = await import('ky');
    t1 = performance.now();
    text = await ky.get(url).text();
    break;
  }
  case 'got': {
    const { default: got } = await import('got');
    t1 = performance.now();
    text = await got(url).text();
    break;
  }
  case 'axios': {
    const { default: axios } = await import('axios');
    t1 = performance.now();
    text = (await axios.get(url, { responseType: 'text' })).data;
    break;
  }
  case 'fetchstack transport': {
    const { createTransport } = await import('@fetchstack/proxy');
    t1 = performance.now();
    const transport = createTransport({});
    text = await (await transport.fetch(url)).text();
    close = () => transport.close();
    break;
  }
  case 'fetchstack session': {
    const { createSession } = await import('@fetchstack/session');
    t1 = performance.now();
    const session = createSession();
    text = await (await session(url)).text();
    close = () => session.close();
    break;
  }
  default:
    throw new Error(`unknown variant ${variant}`);
}
const t2 = performance.now();
const cpu = process.cpuUsage();
if (!text.includes('"ok":true')) throw new Error(`unexpected body ${text}`);
const c0 = performance.now();
await close?.();
const closeMs = performance.now() - c0;
console.log(
  JSON.stringify({
    sinceStart: t2,
    importAndRequest: t2 - t0,
    import: t1 - t0,
    request: t2 - t1,
    cpu: (cpu.user + cpu.system) / 1000,
    close: closeMs,
    // Last, so that nothing but the write and the exit comes after it (a pipe is written synchronously).
    exitAt: Date.now(),
  }),
);
process.exit(0);
