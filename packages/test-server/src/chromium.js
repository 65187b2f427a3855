// How the suite and the checks start Debian's Chromium through playwright-core: headless, in a
// fresh profile folder (playwright manages --user-data-dir itself), with nothing that would
// reach the network on its own (no QUIC, no background fetches, no updates, no sync).

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A persistent context of /usr/bin/chromium on the profile folder `profile`. */
export function launchChromium(chromium, profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args,
  });
}
