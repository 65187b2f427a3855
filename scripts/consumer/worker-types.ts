// A Cloudflare Worker as the README writes one, type-checked with Cloudflare's own globals
// (@cloudflare/workers-types) and no DOM library: fetchstack's published types must hold there.
import { createSession } from '@fetchstack/session';

interface Env {
  API_TOKEN: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await using api = createSession({
      baseUrl: 'https://api.example.com/v1/',
      auth: { bearer: env.API_TOKEN },
      timeout: 10_000,
    });
    const id = new URL(request.url).searchParams.get('id') ?? 'me';
    const user = await api.client.get(`users/${encodeURIComponent(id)}`).json();
    const res = await api('health', { fetchstack: { retry: false } });
    return Response.json({ user, status: res.status });
  },
} satisfies ExportedHandler<Env>;
