// Takes the README's screenshot (docs/screenshot.png) of the built app in real Chromium.
// Usage: npm run build && npx vite preview --port 4173 & node scripts/screenshot.mjs [URL]
import { chromium } from '@playwright/test';
import { chromiumPath } from './chromium-path.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:4173/';
const executablePath = chromiumPath();
const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
await page.goto(url);
await page.evaluate(() => localStorage.clear());
await page.goto(`${url}?lang=en`);
await page.getByTestId('packet-token').waitFor();
await page.locator('[data-testid="editor"] .view-lines').waitFor();
// Walk to the bridge's forwarding decision: the packet on cni0, its FDB entry in the inspector.
for (let i = 0; i < 40; i++) {
  if ((await page.getByTestId('event-detail').innerText()).startsWith('Bridge')) break;
  await page.getByTestId('step-next').click();
}
await page.waitForTimeout(1200);
await page.screenshot({ path: 'docs/screenshot.png' });
await browser.close();
console.log('wrote docs/screenshot.png');
