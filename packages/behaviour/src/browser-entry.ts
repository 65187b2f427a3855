// Entry for Chromium: the page at /__static/index.html loads this module.
import { formatResult, run, type ServerInfo, summarize } from '@fetchstack/test-kit';
import '../cases/index.js';

const g = globalThis as any;
const server = (await (await fetch('/__info')).json()) as ServerInfo;
const filter = new URLSearchParams(location.search).get('filter') ?? undefined;
const results = await run(
  { runtime: 'chromium', server },
  { filter, report: (r) => console.log(formatResult('chromium', r)) },
);
g.__fetchstackResults = { runtime: 'chromium', ...summarize(results) };
