// The Fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking): ports of
// protocols that a request crafted by a web page could abuse (SMTP, IRC, X11, ...). fetch
// refuses them with a network error before connecting; the transport does the same, and
// retry never retries such a refusal. A module of its own, importing nothing: a network
// error's check reads it without the code that reads calls.

/** The ports fetch refuses for http: and https: URLs, as the standard lists them. */
const badPortList =
  '0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 ' +
  '111 113 115 117 119 123 135 137 139 143 161 179 389 427 465 512 513 514 515 526 530 531 ' +
  '532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 ' +
  '5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080';

// Built on first use, so that a bundle which never checks a port (most browser builds of a
// single wrapper) does not carry the set.
let badPortSet: ReadonlySet<string> | undefined;

/** The ports fetch refuses, as strings (`'25'`, ...). */
export function badPorts(): ReadonlySet<string> {
  badPortSet ??= new Set(badPortList.split(' '));
  return badPortSet;
}

/** True when fetch would refuse to connect to `url` because of its port. */
export function isBadPort(url: URL): boolean {
  return (
    url.port !== '' &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    badPorts().has(url.port)
  );
}
