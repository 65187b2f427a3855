// requests.Session tutorial, part 7: a reusable API client around a configured session: base URL,
// bearer token, default headers, retries, get/post that throw on HTTP errors
// (ky's HTTPError: requests' raise_for_status), closed with `await using`.
//   node examples/07-api-client/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { createSession } from 'fetchstack';

class ApiClient {
  #session;
  constructor(baseUrl, { token, timeout = 10_000 } = {}) {
    this.#session = createSession({
      baseUrl,
      headers: { 'User-Agent': 'fetchstack-api-client/1.0', Accept: 'application/json' },
      auth: token ? { bearer: token } : undefined,
      retry: { limit: 3, backoff: { initial: 100 }, statusCodes: [429, 500, 502, 503, 504] },
      timeout,
    });
  }
  /** GET path → parsed JSON; throws HTTPError on a non-2xx status. */
  get(path, options) {
    return this.#session.client.get(path, options).json();
  }
  /** POST JSON → parsed JSON; throws HTTPError on a non-2xx status. */
  post(path, json, options) {
    return this.#session.client.post(path, { json, ...options }).json();
  }
  close() {
    return this.#session.close();
  }
  [Symbol.asyncDispose]() {
    return this.close();
  }
}

const local = await startLocal();
try {
  const api = new ApiClient(local.base, { token: 's3cret' });
  const me = await api.get(local.paths.anything);
  const auth = me.headers.Authorization ?? me.headers.authorization;
  console.log('GET sent Authorization:', auth?.replace(/s3cret/, '[token]'));
  check(auth === 'Bearer s3cret', 'the bearer token was sent');

  const created = await api.post(local.paths.anything, { name: 'order-1' });
  const echoed = created.json ?? JSON.parse(created.body);
  console.log('POST echoed:', JSON.stringify(echoed));
  check(echoed.name === 'order-1', 'the JSON body arrived');

  try {
    await api.get(local.paths.status(404));
    check(false, 'a 404 must throw');
  } catch (error) {
    console.log(
      `GET ${local.paths.status(404)} threw ${error.name}: status ${error.response?.status}`,
    );
    check(
      error.name === 'HTTPError' && error.response.status === 404,
      'HTTPError with the response',
    );
  }
  await api.close();
} finally {
  await local.close();
}
