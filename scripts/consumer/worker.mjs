// A Cloudflare Worker (bundled by esbuild for workerd): runs consumer.ts against env.BASE.
import { run } from './out/consumer.js';

export default {
  async fetch(_request, env) {
    try {
      return Response.json({ lines: await run(env.BASE) });
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) });
    }
  },
};
