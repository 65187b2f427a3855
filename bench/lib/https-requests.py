"""Python requests against the bench's local HTTPS server: N sequential GETs,
with `requests.get` (no session: a new connection and TLS handshake each time)
or with one `requests.Session` (keep-alive). Prints one JSON line.

argv: <mode: get|session> <url> <ca file> <requests> <warm-up requests> <further warm-up>
"""
import json
import sys
import time

import requests

mode, url, ca = sys.argv[1], sys.argv[2], sys.argv[3]
n, warmup, steady_warmup = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

# verify= on each call: a Session's own `verify` loses to REQUESTS_CA_BUNDLE /
# CURL_CA_BUNDLE from the environment, a call's does not.
if mode == "session":
    session = requests.Session()

    def get(u):
        return session.get(u, verify=ca)
else:
    def get(u):
        return requests.get(u, verify=ca)


def once():
    r = get(url)
    if r.status_code != 200:
        raise SystemExit(f"HTTP {r.status_code}")
    r.content  # the whole body, as the Node clients read it


def measure():
    lat = []
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        once()
        lat.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    lat.sort()
    return {
        "msPerReq": elapsed * 1000 / n,
        "p50": lat[len(lat) // 2] * 1000,
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
        "cpuUsPerReq": cpu * 1e6 / n,
    }


# The same two phases as the Node clients: the first n after `warmup`, then n more
# after `steady_warmup` further unmeasured requests.
for _ in range(warmup):
    once()
early = measure()
for _ in range(steady_warmup):
    once()
steady = measure()
print(json.dumps({
    "n": n,
    **steady,
    "early": early,
    "version": requests.__version__,
    "python": sys.version.split()[0],
}))
