// One big transfer through one client, in a fresh process run with --expose-gc.
// argv: <client id> <op: download|upload-stream|upload-bytes|upload-file|upload-form> <base url> <bytes> [mode]
// mode "time" (default): seconds, CPU, and the memory peaks (sampled every 1 MB of
// chunks and every 5 ms, plus the kernel's own peak RSS) above a baseline taken after
// a 1 MB warm-up transfer and a gc(). "probe": the peak of live memory with gc() every
// 2 MB (what the process holds, garbage left out). "fail": as "time", with the
// server answering the first try 503 (the retry replay check); the line says how
// many tries the server saw.
import { openAsBlob } from 'node:fs';
import { rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSession } from './clients.mjs';

const [id, op, base, bytesArg, mode = 'time'] = process.argv.slice(2);
const total = Number(bytesArg);
const CHUNK = 64 * 1024;
const MB = 1024 * 1024;

/**
 * Called for each chunk the client reads (download) or the generator makes (stream
 * upload): the samplers run from here every so many bytes as well as from a timer,
 * since a busy transfer can keep timers from firing for long stretches.
 */
let onChunk = () => {};
/** Calls `fn` once every `every` bytes of chunks. */
const everyBytes = (every, fn) => {
  let since = 0;
  return (n) => {
    since += n;
    if (since >= every) {
      since = 0;
      fn();
    }
  };
};

/** The clients, fetch-shaped or undici.request: download(url) -> bytes, upload(url, body) -> server JSON. */
async function make() {
  if (id === 'undici.request') {
    const { request } = await import('undici');
    return {
      download: async (url) => {
        const { statusCode, body } = await request(url);
        if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
        let n = 0;
        for await (const chunk of body) {
          n += chunk.length;
          onChunk(chunk.length);
        }
        return n;
      },
      upload: async (url, body) => {
        const { statusCode, body: res } = await request(url, {
          method: 'PUT',
          body:
            body instanceof Uint8Array || body instanceof Blob || body instanceof FormData
              ? body
              : iterate(body),
        });
        return { status: statusCode, ...(await res.json()) };
      },
      close: async () => {},
    };
  }
  let fetch = globalThis.fetch;
  let close = async () => {};
  if (id.startsWith('session')) {
    const session = await makeSession(id === 'session (retry off)' ? { retry: false } : {});
    fetch = session;
    close = async () => session.close?.();
  } else if (id !== 'global fetch') throw new Error(`unknown client ${id}`);
  return {
    download: async (url) => {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.getReader();
      let n = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return n;
        n += value.byteLength;
        onChunk(value.byteLength);
      }
    },
    upload: async (url, body) => {
      const stream = !(
        body instanceof Uint8Array ||
        body instanceof Blob ||
        body instanceof FormData
      );
      const res = await fetch(url, {
        method: 'PUT',
        body: stream ? readable(body) : body,
        ...(stream ? { duplex: 'half' } : {}),
      });
      return { status: res.status, ...(await res.json()) };
    },
    close,
  };
}

/** A generated upload of `size` bytes: a fresh 64 KiB chunk each time, never the whole body. */
const generated = (size) => ({ size });
function readable({ size }) {
  let left = size;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(CHUNK, left);
      left -= n;
      onChunk(n);
      controller.enqueue(new Uint8Array(n).fill(120));
    },
  });
}
async function* iterate({ size }) {
  for (let left = size; left > 0; left -= CHUNK) {
    onChunk(Math.min(CHUNK, left));
    yield Buffer.alloc(Math.min(CHUNK, left), 120);
  }
}

let client;
try {
  client = await make();
} catch (error) {
  if (error.notBuilt) {
    console.log(JSON.stringify({ skip: error.message }));
    process.exit(0);
  }
  throw error;
}

const run = async (size, tag) => {
  if (op === 'download') return { bytes: await client.download(`${base}download?bytes=${size}`) };
  const body =
    op === 'upload-bytes'
      ? bytesBody(size)
      : op === 'upload-file' || op === 'upload-form'
        ? await fileBody(size)
        : generated(size);
  const query = `id=${tag}-${process.pid}${mode === 'fail' ? '&fail=1' : ''}`;
  return client.upload(`${base}upload?${query}`, body);
};
// The Uint8Array upload's body exists before the transfer (filled, so its pages are
// resident and in the baseline): only what the client adds on top of it counts.
let prepared;
const bytesBody = (size) => prepared ?? new Uint8Array(size).fill(120);

/**
 * A file of `size` bytes on disk, opened with `fs.openAsBlob()` (a Blob whose bytes stay in the
 * file until read), alone or as the one file of a FormData. Written once per size and shared
 * by the processes of the run.
 */
async function fileBody(size) {
  const path = join(tmpdir(), `fetchstack-bench-upload-${size}.bin`);
  const written = await stat(path).then(
    (s) => s.size === size,
    () => false,
  );
  if (!written) {
    const part = `${path}.${process.pid}`;
    await writeFile(part, new Uint8Array(size).fill(120));
    await rename(part, path);
  }
  const file = await openAsBlob(path, { type: 'application/octet-stream' });
  if (op === 'upload-file') return file;
  const form = new FormData();
  form.append('file', file, 'upload.bin');
  return form;
}

// A FormData's multipart encoding is a little longer than its file.
const isComplete = (bytes) => (op === 'upload-form' ? bytes > total : bytes === total);

// Warm-up: modules loaded, a connection open, the code paths compiled.
await run(Math.min(total, MB), 'warmup');
if (op === 'upload-bytes') prepared = new Uint8Array(total).fill(120);

const sample = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, buffers: m.external };
};
const live = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 50));
globalThis.gc?.();

let out;
if (mode === 'probe') {
  // The probe: gc() every 2 MB of chunks and every 25 ms, and the live memory (V8
  // heap used + external) read right after each collection. Garbage the collector has
  // not reached yet (the timed run's RSS counts it) is gone, so what is left is what
  // the process holds: a body kept in memory shows here, garbage does not. Its own
  // process, since a client that holds a body after the request would inflate the
  // baseline of a second transfer.
  const live0 = live();
  let livePeak = live0;
  let probes = 0;
  const collect = () => {
    globalThis.gc();
    probes++;
    livePeak = Math.max(livePeak, live());
  };
  const timer = setInterval(collect, 25);
  onChunk = everyBytes(2 * MB, collect);
  const result = await run(total, 'probe');
  clearInterval(timer);
  onChunk = () => {};
  collect();
  const after = live();
  out = {
    bytes: result.bytes,
    complete: isComplete(result.bytes),
    retainedMB: (livePeak - live0) / MB,
    heldAfterMB: (after - live0) / MB,
    probes,
  };
} else {
  const base0 = sample();
  const peak = { ...base0 };
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let samples = 0;
  const record = () => {
    const s = sample();
    samples++;
    for (const k of Object.keys(peak)) if (s[k] > peak[k]) peak[k] = s[k];
  };
  const timer = setInterval(record, 5);
  onChunk = everyBytes(MB, record);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await run(total, 'measured');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  clearInterval(timer);
  onChunk = () => {};
  record();
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  out = {
    seconds,
    bytes: result.bytes,
    complete: isComplete(result.bytes) || (mode === 'fail' && result.status === 503),
    status: result.status,
    chunked: result.chunked,
    tries: result.try,
    mbPerS: result.bytes / MB / seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssGrowthMB: (peak.rss - base0.rss) / MB,
    maxRssGrowthMB: Math.max(0, maxRssAfter - Math.max(maxRssBefore, base0.rss)) / MB,
    heapGrowthMB: (peak.heap - base0.heap) / MB,
    buffersGrowthMB: (peak.buffers - base0.buffers) / MB,
    samples,
  };
}
await client.close();
console.log(JSON.stringify(out));
process.exit(0);
