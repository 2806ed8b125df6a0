import { expect, test } from '@playwright/test';
import { PacketwalkPage } from './pages/packetwalk.page';

// Issue #2's checks: the skeleton, the first real flow, the worker seam, bad input.

test.describe('the default scenario', () => {
  test('loads with no console errors and shows both pods, the bridge and both veth pairs', async ({
    page,
    baseURL,
  }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    await expect(app.pods()).toHaveCount(2);
    await expect(app.devicesOfKind('bridge')).toHaveCount(1);
    await expect(app.devicesOfKind('bridge')).toContainText('cni0');
    // Each veth pair: the pod's eth0 and its host-side peer, joined by a veth edge.
    await expect(app.edgesOfKind('veth')).toHaveCount(2);
    await expect(page.locator('[data-testid^="dev-node-1:veth"]')).toHaveCount(2);
    await expect(app.stepCount).toContainText('of');
    expect(app.consoleErrors).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('default-scenario.png') });
  });

  test('makes no request to any host but the one serving it', async ({ page, baseURL }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    await app.editorReady();
    await app.next();
    await page.getByTestId('inspector-tab-tables').click();
    await page.getByTestId('dump-what').selectOption('routes');
    await expect(page.getByTestId('dump-text')).toContainText('10.244.0.0/24 dev cni0');
    expect(app.foreignRequests).toEqual([]);
  });
});

test.describe('stepping through the trace', () => {
  test('next moves the packet to the next element and back returns it', async ({
    page,
    baseURL,
  }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    expect(await app.tokenStep()).toBe(0);
    const start = await app.tokenAt();
    expect(start).toMatch(/^default\/web-/);

    // Walk forward until the token sits on a different element.
    const seen = [start];
    for (let i = 0; i < 8; i++) {
      await app.next();
      seen.push(await app.tokenAt());
    }
    expect(await app.tokenStep()).toBe(8);
    expect(new Set(seen).size).toBeGreaterThan(2);
    // The path crosses the pod's veth to the host and reaches the bridge.
    expect(seen.some((at) => /^node-1:veth/.test(at))).toBe(true);
    expect(seen).toContain('node-1:cni0');

    const at8 = await app.tokenAt();
    await app.next();
    const at9 = await app.tokenAt();
    await app.back();
    expect(await app.tokenStep()).toBe(8);
    expect(await app.tokenAt()).toBe(at8);
    expect(at9).toBeTruthy();

    // The keyboard drives it too.
    await app.pressKey('ArrowRight');
    expect(await app.tokenStep()).toBe(9);
    await app.pressKey('ArrowLeft');
    expect(await app.tokenStep()).toBe(8);
    await app.pressKey('End');
    await expect(app.token).toHaveAttribute('data-at', /^default\/web-/);
    await app.pressKey('Home');
    expect(await app.tokenStep()).toBe(0);
  });

  test('the inspector shows the packet headers of the current step', async ({ page, baseURL }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    const headers = page.getByTestId('packet-headers');
    await expect(headers).toContainText('10.244.0.2');
    await expect(page.getByTestId('hdr-TCP-dport')).toContainText('80');
    await app.pressKey('End');
    // The last step is the SYN-ACK arriving back at the client.
    await expect(page.getByTestId('hdr-TCP-flags')).toContainText('SA');
  });

  test('play runs to the end on its own', async ({ page, baseURL }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    await page.getByTestId('step-speed').selectOption('200');
    await page.getByTestId('step-play').click();
    const total = Number((await app.stepCount.innerText()).match(/of (\d+)/)![1]);
    await expect(app.token).toHaveAttribute('data-step', String(total - 1), { timeout: 20_000 });
  });
});

test('the language switch changes the UI text', async ({ page, baseURL }) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await expect(page.getByTestId('inspector-tab-packet')).toHaveText('Packet');
  await app.setLanguage('zh');
  await expect(page.getByTestId('inspector-tab-packet')).toHaveText('数据包');
  await expect(app.stepCount).toContainText('第');
  await expect(page.getByTestId('step-list')).toContainText('发出');
  await page.screenshot({ path: test.info().outputPath('zh.png') });
  await app.setLanguage('en');
  await expect(page.getByTestId('inspector-tab-packet')).toHaveText('Packet');
});

test.describe('editing the manifests', () => {
  test('shows the default YAML; replicas 2 → 3 adds a third pod without a reload', async ({
    page,
    baseURL,
  }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    await app.editorReady();
    await expect.poll(() => app.editorText()).toContain('kind: Deployment');
    await expect(app.pods()).toHaveCount(2);
    let reloaded = false;
    page.on('load', () => (reloaded = true));
    await app.typeAtEndOf('replicas: 2', 1, '3');
    await expect(app.pods()).toHaveCount(3);
    expect(reloaded).toBe(false);
    expect(app.consoleErrors).toEqual([]);
  });

  test('invalid YAML keeps the last good topology, shows the error line, and survives a reload', async ({
    page,
    baseURL,
  }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh();
    // `@` cannot start a plain YAML scalar: a syntax error on that line.
    await app.typeAtEndOf('replicas: 2', 1, '@');
    await expect(app.diagnostics.first()).toBeVisible();
    await expect(app.diagnostics.first()).toContainText('cluster.yaml:');
    await expect(page.getByTestId('topology-stale')).toBeVisible();
    await expect(app.pods()).toHaveCount(2);

    await page.reload();
    await app.editorReady();
    await expect.poll(() => app.editorText()).toContain('replicas: @');
    // The cluster that last worked is drawn again, marked as older than the text.
    await expect(app.pods()).toHaveCount(2);
    await expect(page.getByTestId('topology-stale')).toBeVisible();
    await expect(app.diagnostics.first()).toContainText('cluster.yaml:');
    expect(app.consoleErrors).toEqual([]);
  });
});

test.describe('the worker seam', () => {
  test('a crashed worker is reported, replaced, and the cluster is still there', async ({
    page,
    baseURL,
  }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh('?debug');
    await app.crashWorker();
    await expect(page.getByTestId('notice-crashed')).toBeVisible();
    // The new worker was given the last good manifests: stepping and editing still work.
    await app.typeAtEndOf('replicas: 2', 1, '3');
    await expect(app.pods()).toHaveCount(3);
    await app.next();
    expect(await app.tokenStep()).toBe(1);
  });

  test('a hung worker is stopped at its time budget and replaced', async ({ page, baseURL }) => {
    const app = new PacketwalkPage(page, baseURL!);
    await app.openFresh('?debug');
    await app.hangWorker(500);
    await expect(page.getByTestId('notice-timeout')).toBeVisible();
    await page.getByTestId('seed').fill('5');
    // The new worker answers the re-trace with seed 5.
    await expect(page.getByTestId('step-list')).toHaveAttribute('data-seed', '5');
    await app.next();
    expect(await app.tokenStep()).toBe(1);
  });
});
