// Entry for workerd (under miniflare): POST the ServerInfo to the worker, get lines back.
import { formatResult, run, type ServerInfo, summarize } from '@fetchstack/test-kit';
import '../cases/index.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const { server, filter } = (await request.json()) as { server: ServerInfo; filter?: string };
    const lines: string[] = [];
    const results = await run(
      { runtime: 'workerd', server },
      { filter, report: (r) => lines.push(formatResult('workerd', r)) },
    );
    return Response.json({ lines, summary: { runtime: 'workerd', ...summarize(results) } });
  },
};
