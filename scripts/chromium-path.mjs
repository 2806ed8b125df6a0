import { existsSync } from 'node:fs';

/** The Chromium the tests drive: $PACKETWALK_CHROMIUM, else a system Chromium, else none
 *  (Playwright then uses the browser its own installer fetched). */
export function chromiumPath() {
  const candidates = [
    process.env.PACKETWALK_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((p) => p && existsSync(p));
}
