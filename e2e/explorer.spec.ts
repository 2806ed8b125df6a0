import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { PacketwalkPage } from './pages/packetwalk.page';

// Issue #6's checks that the default scenario can already show.

test('per-hop granularity skips hooks and rules; back and forth stays on hops', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  const all = await app.stepItems().count();
  await page.getByTestId('step-granularity').selectOption('hop');
  const hops = await app.stepItems().count();
  expect(hops).toBeLessThan(all);
  await expect(page.getByTestId('step-list')).not.toContainText('Netfilter hook');
  await app.next();
  const first = await app.tokenStep();
  await app.next();
  await app.back();
  expect(await app.tokenStep()).toBe(first);
});

test('jump buttons are off where the trace has no such step (one node, no NAT, no drop)', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  for (const target of ['nat', 'node', 'drop'])
    await expect(page.getByTestId(`jump-${target}`)).toBeDisabled();
  await app.pressKey('n');
  expect(await app.tokenStep()).toBe(0);
});

test('presentation mode folds the editor away and shows the step large', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await expect(page.getByTestId('editor-pane')).toBeVisible();
  await app.pressKey('p');
  await expect(page.getByTestId('editor-pane')).toHaveCount(0);
  await expect(page.getByTestId('current-step')).toBeVisible();
  await app.pressKey('ArrowRight');
  await expect(page.getByTestId('current-step')).toContainText('step 2 of');
  await page.screenshot({ path: test.info().outputPath('presentation.png') });
  await page.getByTestId('present-toggle').click();
  await expect(page.getByTestId('editor-pane')).toBeVisible();
});

test('a copied link reopens the same scenario, flow and step in a fresh browser', async ({
  browser,
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await app.typeAtEndOf('replicas: 2', 1, '3');
  await expect(app.pods()).toHaveCount(3);
  for (let i = 0; i < 5; i++) await app.next();
  const at = await app.tokenAt();
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toBeVisible();
  const url = (await page.getByTestId('share-status').getAttribute('data-url'))!;
  expect(url).toContain('#s=');

  const other = await browser.newContext();
  const fresh = new PacketwalkPage(await other.newPage(), baseURL!);
  await fresh.page.goto(url);
  await expect(fresh.pods()).toHaveCount(3);
  await expect(fresh.token).toHaveAttribute('data-step', '5');
  expect(await fresh.tokenAt()).toBe(at);
  // The link is read once: the address bar drops it, and a reload keeps what is typed next.
  await expect.poll(() => fresh.page.url()).not.toContain('#s=');
  await other.close();
});

test('a tampered link is ignored and the page still opens', async ({ page, baseURL }) => {
  const app = new PacketwalkPage(page, baseURL!);
  await page.goto('./');
  await page.evaluate(() => localStorage.clear());
  await page.goto('./#s=NobwRAdghgtgpmAXGAQgeQMJgDRgCYCuAZgJYA');
  await expect(app.pods()).toHaveCount(2);
  expect(app.consoleErrors).toEqual([]);
});

for (const [theme, preset] of [
  ['light', null],
  ['dark', null],
  ['light', 'cloud-loadbalancer'],
  ['dark', 'cloud-loadbalancer'],
] as const)
  test(`no serious or critical accessibility violations (${theme}${preset ? `, ${preset}` : ''})`, async ({
    page,
    baseURL,
  }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    await app.editorReady();
    if (preset) {
      await page.getByTestId('preset-picker').selectOption(preset);
      await expect(page.getByTestId(`host-cloud-lb`)).toBeVisible();
    }
    if (theme === 'dark') await page.getByTestId('theme-toggle').click();
    // The last step: the reply's token (a colour of its own) and the step list's end.
    await page.getByTestId('step-last').click();
    await page.waitForTimeout(300);
    const result = await new AxeBuilder({ page })
      // Monaco's own text area and React Flow's canvas internals are third-party DOM.
      .exclude('.monaco-editor')
      .analyze();
    expect(result.passes.length).toBeGreaterThan(10);
    const serious = result.violations.filter((v) =>
      ['serious', 'critical'].includes(v.impact ?? ''),
    );
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });

test('the netfilter pipeline lights the hook and table, and the chain view follows the jumps', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('nginx-deploy-clusterip');
  await expect(page.getByTestId('flow-picker')).toHaveValue(/svc:default\/nginx-deploy/);
  await page.getByTestId('bottom-tab-pipeline').click();
  await page.getByTestId('jump-nat').click();
  // The DNAT step itself: the inspector shows the destination before and after.
  await expect(page.getByTestId('event-detail')).toContainText('DNAT');
  await expect(page.getByTestId('hdr-IPv4-dst')).toContainText('→');
  // One step back: the KUBE-SEP rule that did it, in nat at PREROUTING.
  await app.pressKey('ArrowLeft');
  await expect(page.getByTestId('hook-PREROUTING')).toHaveAttribute('data-state', 'current');
  await expect(page.getByTestId('chain-view')).toContainText('KUBE-SERVICES → KUBE-SVC-');
  await expect(page.getByTestId('rule-lit')).toContainText('-j DNAT --to-destination');
  await page.screenshot({ path: test.info().outputPath('pipeline.png') });
});

test('a composed flow to a closed port is traced and refused the way Linux refuses it', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('flow-compose').click();
  await page.getByTestId('flow-to').fill('ip:10.244.0.3:8080');
  await page.getByTestId('flow-trace').click();
  await expect(page.getByTestId('flow-picker')).toHaveValue(/ip:10\.244\.0\.3:8080/);
  await page.getByTestId('jump-drop').click();
  await expect(page.getByTestId('event-detail')).toContainText('connection refused');

  // A destination the engine cannot read is said plainly, and nothing is traced.
  await page.getByTestId('flow-compose').click();
  await page.getByTestId('flow-to').fill('ip:10.244.0.300');
  await page.getByTestId('flow-trace').click();
  await expect(page.getByTestId('flow-error')).toBeVisible();
});

test('traffic mode: 300 connections spread over the three endpoints next to the expected third', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('nginx-deploy-clusterip');
  await expect(page.getByTestId('flow-picker')).toHaveValue(/svc:default\/nginx-deploy/);
  await page.getByTestId('inspector-tab-traffic').click();
  await page.getByTestId('traffic-count').selectOption('300');
  await page.getByTestId('traffic-run').click();
  await expect(page.getByTestId('traffic-bin')).toHaveCount(3);
  await expect(page.getByTestId('traffic-expected')).toHaveText(['33.3%', '33.3%', '33.3%']);
  await expect(page.getByTestId('traffic-layer')).toHaveAttribute('data-count', '300');
  await expect(page.getByTestId('traffic-summary')).toContainText('300');
  await page.screenshot({ path: test.info().outputPath('traffic.png') });
});

test('MAC addresses appear on the canvas on demand', async ({ page, baseURL }) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await expect(page.getByTestId('dev-mac')).toHaveCount(0);
  await page.getByTestId('toggle-macs').click();
  await expect(page.getByTestId('dev-mac').first()).toHaveText(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  await page.getByTestId('toggle-macs').click();
  await expect(page.getByTestId('dev-mac')).toHaveCount(0);
});

test('a MetalLB L2 address is shown on the node whose speaker answers ARP for it', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('loadbalancer-outside');
  await expect(page.getByTestId('announces-node-1')).toContainText(
    'MetalLB L2 · answers ARP for 192.168.56.240',
  );
  await expect(page.getByTestId('announces-node-2')).toHaveCount(0);
});

test('compare data planes: the same flow on kube-proxy iptables and on IPVS, side by side', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('nginx-deploy-clusterip');
  await expect(page.getByTestId('flow-picker')).toHaveValue(/svc:default\/nginx-deploy:8080/);
  await page.getByTestId('bottom-tab-compare').click();
  // The scenario's own data plane is named as such in the picker.
  await expect(page.getByTestId('compare-variant')).toContainText(
    'kube-proxy iptables (this scenario)',
  );
  await page.getByTestId('compare-variant').selectOption('proxy:ipvs');
  await expect(page.getByTestId('compare-side-a')).toContainText('kube-proxy iptables');
  await expect(page.getByTestId('compare-side-b')).toContainText('kube-proxy IPVS');
  const ipvs = page.getByTestId('compare-row-ipvs').locator('td');
  await expect(ipvs.nth(0)).toHaveText('0');
  await expect(ipvs.nth(1)).not.toHaveText('0');
  await expect(page.getByTestId('compare-row-outcome')).toContainText('delivered');
  // A new seed is a new question: the comparison follows it.
  const before = await page.getByTestId('compare-row-nat').innerText();
  // (seed 2 picks another endpoint than seed 1 among the iptables rules' random choices).
  await page.getByTestId('seed').fill('2');
  await expect.poll(() => page.getByTestId('compare-row-nat').innerText()).not.toBe(before);
  expect(app.consoleErrors).toEqual([]);
});

test('side by side: flannel VXLAN and Calico IPIP on two canvases, stepped together', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('flannel-cluster-vxlan');
  await expect(page.getByTestId('flow-picker')).toHaveValue(/web-b/);
  await page.getByTestId('bottom-tab-compare').click();
  await page.getByTestId('compare-variant').selectOption('cni:calico-ipip');
  await page.getByTestId('compare-side-by-side').click();
  const a = page.getByTestId('topology-a');
  const b = page.getByTestId('topology-b');
  // Each side draws its own cluster: flannel's VTEP on one, Calico's tunl0 on the other.
  await expect(a.getByTestId('dev-node-1:flannel.1')).toBeVisible();
  await expect(b.getByTestId('dev-node-1:tunl0')).toBeVisible();
  await expect(b.getByTestId('dev-node-1:flannel.1')).toHaveCount(0);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('sbs-a-count')).toHaveText('step 6 of 183');
  await expect(page.getByTestId('sbs-b-count')).toHaveText('step 6 of 176');
  // Each side steps on its own too; the page's own trace under the overlay did not move.
  await page.getByTestId('sbs-b-last').click();
  await expect(page.getByTestId('sbs-b-sentence')).toContainText('Delivered to curl');
  await expect(a.getByTestId('packet-token')).toHaveAttribute('data-step', '5');
  await page.screenshot({ path: test.info().outputPath('side-by-side.png') });
  const axe = await new AxeBuilder({ page }).include('[data-testid="side-by-side"]').analyze();
  expect(
    axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? '')).map((v) => v.id),
  ).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('side-by-side')).toHaveCount(0);
  await expect(page.getByTestId('step-count')).toHaveText(/^step 1 of /);
  expect(app.consoleErrors).toEqual([]);
});
