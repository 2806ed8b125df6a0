import { expect, test } from '@playwright/test';
import { PacketwalkPage } from './pages/packetwalk.page';

// One e2e per kind of flow the seeds teach: select it, play to the end, check the step list
// and the DNAT step's before/after, step back, and keep a screenshot of each.

async function playToEnd(app: PacketwalkPage) {
  await expect(app.page.getByTestId('engine-status')).toHaveText('Ready');
  await app.page.getByTestId('step-speed').selectOption('200');
  await app.page.getByTestId('step-play').click();
  // "step X of Y" until X is Y: the counter, not a total read before the trace settled.
  await expect
    .poll(
      async () => {
        const m = (await app.stepCount.innerText()).match(/step (\d+) of (\d+)/);
        return m !== null && m[1] === m[2];
      },
      { timeout: 60_000 },
    )
    .toBe(true);
}

test('ClusterIP: a pod to the nginx-deploy Service is DNATed to an endpoint and answered', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('nginx-deploy-clusterip');
  await expect(page.getByTestId('flow-picker')).toHaveValue(/svc:default\/nginx-deploy:8080/);
  // Seed 2 picks an endpoint on the client's own node.
  await page.getByTestId('seed').fill('2');
  await expect(page.getByTestId('step-list')).toHaveAttribute('data-seed', '2');
  await expect(page.getByTestId('step-list')).toContainText('KUBE-SVC-');
  await playToEnd(app);
  await expect(page.getByTestId('step-list')).toContainText('Delivered to');
  await expect(page.getByTestId('step-list')).toContainText('de-DNAT');

  await page.getByTestId('step-first').click();
  await page.getByTestId('jump-nat').click();
  const dst = page.getByTestId('hdr-IPv4-dst');
  await expect(dst).toContainText('10.98.254.54');
  await expect(dst).toContainText('→ 10.244.');
  const natStep = await app.tokenStep();
  await app.back();
  expect(await app.tokenStep()).toBe(natStep - 1);
  await expect(page.getByTestId('event-detail')).toContainText('KUBE-SEP-');
  await page.screenshot({ path: test.info().outputPath('clusterip.png') });
});

test('NodePort: the node to its own NodePort 30080 is marked, DNATed and masqueraded', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('webapp1-nodeport');
  await page.getByTestId('flow-compose').click();
  await page.getByTestId('flow-from').fill('node:node-1');
  await page.getByTestId('flow-to').fill('ip:192.168.56.11:30080');
  await page.getByTestId('flow-trace').click();
  await page.getByTestId('seed').fill('2');
  await expect(page.getByTestId('step-list')).toHaveAttribute('data-seed', '2');
  await expect(page.getByTestId('step-list')).toContainText('KUBE-NODEPORTS');
  await playToEnd(app);
  const list = page.getByTestId('step-list');
  await expect(list).toContainText('KUBE-MARK-MASQ');
  await expect(list).toContainText('MASQUERADE');
  await expect(list).toContainText('Delivered to');
  await page.getByTestId('step-first').click();
  await page.getByTestId('jump-nat').click();
  await expect(page.getByTestId('hdr-IPv4-dst')).toContainText('192.168.56.11 → 10.244.');
  await page.screenshot({ path: test.info().outputPath('nodeport.png') });
});

test('cross node (flannel VXLAN): the packet is wrapped on flannel.1, crosses the underlay and is unwrapped', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('flannel-cluster-vxlan');
  await page
    .getByTestId('flow-picker')
    .selectOption('pod:default/client → pod:default/web-b tcp/80');
  await playToEnd(app);
  const list = page.getByTestId('step-list');
  await expect(list).toContainText('Encapsulate (vxlan) on flannel.1');
  await expect(list).toContainText('Decapsulate (vxlan) on flannel.1');
  await expect(list).toContainText('Delivered to');

  // At the encapsulation the inspector shows the outer headers over the inner packet.
  await page.getByTestId('step-first').click();
  for (let i = 0; i < 200; i++) {
    if ((await page.getByTestId('event-detail').innerText()).includes('Encapsulate')) break;
    await app.next();
  }
  await expect(page.getByTestId('token-callout')).toContainText('+50 B VXLAN');
  await expect(page.getByTestId('hdr-UDP-dport')).toContainText('8472');
  await expect(page.getByTestId('hdr-VXLAN-vni')).toContainText('1');
  await expect(page.getByTestId('hdr-inner IPv4-dst')).toContainText('10.244.1.2');
  // And the next node is node-2.
  await page.getByTestId('jump-node').click();
  await expect(page.locator('[data-testid="step-list"] [aria-current="step"]')).toContainText(
    'node-2',
  );
  await page.screenshot({ path: test.info().outputPath('cross-node.png') });
});

test('Calico with a route reflector: the BGP exchange step by step', async ({ page, baseURL }) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await expect(page.getByTestId('bottom-tab-bgp')).toHaveCount(0);
  await page.getByTestId('preset-picker').selectOption('calico-route-reflector');
  await page.getByTestId('bottom-tab-bgp').click();
  const events = page.getByTestId('bgp-events');
  await expect(events).toContainText('announces its block');
  await expect(events).toContainText('from the route reflector');
  await page.screenshot({ path: test.info().outputPath('bgp.png') });
});

test('LoadBalancer (seed 003): the laptop through a cloud load balancer in front of the NodePorts', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('cloud-loadbalancer');
  await expect(page.getByTestId('flow-picker')).toHaveValue(/ext:laptop/);
  // The balancer is a box of its own, saying what it spreads where.
  await expect(page.getByTestId('host-cloud-lb')).toContainText('load balancer');
  await expect(page.getByTestId('balances-cloud-lb')).toContainText(
    '(default/web-lb) → NodePort 30080 on node-1, node-2',
  );
  await playToEnd(app);
  const list = page.getByTestId('step-list');
  await expect(list).toContainText('DNAT at PREROUTING: 192.168.56.241:80 → 192.168.56.1');
  // SNAT mode: the node sees the balancer's address, not the laptop's.
  await expect(list).toContainText('SNAT at POSTROUTING: 192.168.56.100:50471 → 192.168.56.2:');
  await expect(list).toContainText('de-DNAT at POSTROUTING: 192.168.56.1');
  await expect(list).toContainText('KUBE-NODEPORTS');
  await expect(list).toContainText('Delivered to');

  // The first rewrite is the balancer's: the VIP becomes a node's NodePort.
  await page.getByTestId('step-first').click();
  await page.getByTestId('jump-nat').click();
  await expect(app.token).toHaveAttribute('data-at', /^cloud-lb/);
  await expect(page.getByTestId('hdr-IPv4-dst')).toContainText('192.168.56.241 → 192.168.56.1');
  await page.screenshot({ path: test.info().outputPath('cloud-loadbalancer.png') });
});

test('CoreDNS (seed 000): a pod asks for a Service by its short name and gets its ClusterIP', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('coredns-records');
  await expect(page.getByTestId('flow-picker')).toHaveValue('pod:default/client → dns:web udp');
  // The query goes to the kube-dns ClusterIP from resolv.conf, and kube-proxy DNATs it.
  await page.getByTestId('jump-nat').click();
  await expect(page.getByTestId('hdr-IPv4-dst')).toContainText('10.96.0.10 → 10.244.');
  await expect(page.getByTestId('hdr-DNS-question').locator('td')).toHaveText(
    'web.default.svc.cluster.local. IN A',
  );
  await playToEnd(app);
  const list = page.getByTestId('step-list');
  await expect(list).toContainText('coredns');
  await expect(list).toContainText('de-DNAT');
  // The answer the client reads: the Service's ClusterIP, from 10.96.0.10 again.
  await expect(page.getByTestId('hdr-IPv4-src')).toContainText('10.96.0.10');
  await expect(page.getByTestId('hdr-DNS-status').locator('td')).toHaveText('NOERROR');
  await expect(page.getByTestId('hdr-DNS-answer 1')).toContainText(
    'web.default.svc.cluster.local. 30 IN A 10.',
  );
  await page.screenshot({ path: test.info().outputPath('coredns.png') });
});

test('Ingress (seeds 000, 003): a laptop’s GET through the NodePort to ingress-nginx, routed by path', async ({
  page,
  baseURL,
}) => {
  const app = new PacketwalkPage(page, baseURL!);
  await app.openFresh();
  await page.getByTestId('preset-picker').selectOption('ingress-fanout');
  await expect(page.getByTestId('flow-picker')).toHaveValue(
    'ext:laptop → http://foo.bar.com:32556/bar tcp',
  );
  // The request rides on the first packet: method, path and Host as curl sends them.
  await expect(page.getByTestId('hdr-HTTP-request').locator('td')).toHaveText('GET /bar');
  await expect(page.getByTestId('hdr-HTTP-Host').locator('td')).toHaveText('foo.bar.com:32556');
  // (254 steps: End rather than Play, which the other seed flows already exercise.)
  await page.getByTestId('step-last').click();
  await expect(page.getByTestId('step-count')).toHaveText(/step (\d+) of \1$/);
  const list = page.getByTestId('step-list');
  await expect(list).toContainText('KUBE-NODEPORTS');
  // nginx picks the rule, then connects to an endpoint itself (not through the ClusterIP).
  await expect(list).toContainText('location = /bar: Ingress default/simple-fanout-example');
  await expect(list).toContainText('not through the ClusterIP');
  await expect(list).toContainText('Delivered to service2 on 0.0.0.0:8080');
  await page.screenshot({ path: test.info().outputPath('ingress.png') });
});
