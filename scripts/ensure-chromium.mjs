// Finds a Chromium for the e2e suite, or installs one, or says in one line what to run.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium-path.mjs';

function sh(cmd) {
  execSync(cmd, { stdio: 'inherit' });
}

if (chromiumPath()) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version');
try {
  if (isRoot && isDebian) {
    console.log('e2e: no Chromium found; installing Debian\'s "chromium" package…');
    sh('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.log("e2e: no system Chromium found; running Playwright's installer…");
    sh('npx playwright install chromium');
  }
} catch {
  console.error(
    'e2e: no Chromium available. Install one (Debian: `sudo apt-get install chromium`; elsewhere: `npx playwright install chromium`) or set PACKETWALK_CHROMIUM=/path/to/chrome.',
  );
  process.exit(1);
}
