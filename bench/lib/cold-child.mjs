// One cold start: import a client, make one request, report the time since this
// process began (performance.now() counts from process start). argv: <variant> <url>
const [variant, url] = process.argv.slice(2);
const t0 = performance.now();
let text;
switch (variant) {
  case 'global fetch': {
    text = await (await fetch(url)).text();
    break;
  }
  case 'undici.request': {
    const { request } = await import('undici');
    text = await (await request(url)).body.text();
    break;
  }
  case 'ky': {
    const { default: ky } = await import('ky');
    text = await ky.get(url).text();
    break;
  }
  case 'got': {
    const { default: got } = await import('got');
    text = await got(url).text();
    break;
  }
  case 'axios': {
    const { default: axios } = await import('axios');
    text = (await axios.get(url, { responseType: 'text' })).data;
    break;
  }
  case 'fetchstack session': {
    const { createSession } = await import('@fetchstack/session');
    const session = createSession();
    text = await (await session(url)).text();
    await session.close();
    break;
  }
  default:
    throw new Error(`unknown variant ${variant}`);
}
if (!text.includes('"ok":true')) throw new Error(`unexpected body ${text}`);
console.log(
  JSON.stringify({ sinceStart: performance.now(), importAndRequest: performance.now() - t0 }),
);
process.exit(0);
