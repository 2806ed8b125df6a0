import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, PRESETS } from '../scenarios';
import { main, type Io } from './main';

const DEFAULT_YAML = DEFAULT_PRESET.files[0]!.text;

async function run(argv: string[], files: Record<string, string> = { 'c.yaml': DEFAULT_YAML }) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return text;
    },
    readStdin: async () => files['-'] ?? '',
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function podNames(): Promise<string[]> {
  const { out } = await run(['dump', 'c.yaml', '--node', 'node-1', '--what', 'links']);
  return [...out.matchAll(/^(veth\w+)@/gm)].map((m) => m[1]!);
}

describe('packetwalk CLI', () => {
  it('traces pod to pod as JSON with the contract fields of DESIGN.md §4', async () => {
    const check = await run(['check', 'c.yaml']);
    expect(check).toEqual({ code: 0, out: '', err: '' });
    const { out: routes } = await run(['dump', 'c.yaml', '--node', 'node-1', '--what', 'routes']);
    expect(routes).toContain('10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1');
    expect(await podNames()).toHaveLength(2);

    const names = (await run(['trace', 'c.yaml', '--from', 'pod:nope', '--to', 'pod:x'])).err;
    const pods = [...names.matchAll(/default\/(web-[a-z0-9-]+)/g)].map((m) => m[1]!);
    expect(pods).toHaveLength(2);

    const { code, out } = await run([
      'trace',
      'c.yaml',
      '--from',
      `pod:${pods[0]}`,
      '--to',
      `pod:default/${pods[1]}`,
      '--json',
    ]);
    expect(code).toBe(0);
    const t = JSON.parse(out);
    expect(Object.keys(t)).toEqual(['version', 'flow', 'seed', 'outcome', 'events', 'delivered']);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toMatchObject({
      ns: `default/${pods[1]}`,
      proto: 'tcp',
      dst: '10.244.0.3:80',
    });
    for (const [i, e] of t.events.entries()) {
      expect(e.i).toBe(i);
      expect(['request', 'reply']).toContain(e.dir);
      expect(typeof e.node).toBe('string');
      expect(typeof e.ns).toBe('string');
      if (e.kind === 'netfilter')
        expect(Object.keys(e)).toEqual(
          expect.arrayContaining(['hook', 'table', 'chain', 'rule', 'verdict']),
        );
    }
    // br_netfilter: the bridged SYN passes the node's FORWARD hook.
    expect(
      t.events.some(
        (e: { kind: string; hook?: string; ns: string }) =>
          e.kind === 'hook' && e.hook === 'FORWARD' && e.ns === 'node-1',
      ),
    ).toBe(true);
  });

  it('prints the text trace by default and is deterministic', async () => {
    const a = await run(['trace', 'c.yaml', '--from', 'ip:10.244.0.2', '--to', 'ip:10.244.0.3:80']);
    const b = await run(['trace', 'c.yaml', '--from', 'ip:10.244.0.2', '--to', 'ip:10.244.0.3:80']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).toContain('delivered');
  });

  it('checks manifests with FILE:LINE:COL diagnostics and exit 1 on errors', async () => {
    const bad = DEFAULT_YAML.replace('replicas: 2', 'replicas: two');
    const r = await run(['check', 'bad.yaml'], { 'bad.yaml': bad });
    expect(r.code).toBe(1);
    const line = bad.split('\n').findIndex((l) => l.includes('replicas: two')) + 1;
    expect(r.out).toMatch(new RegExp(`^bad\\.yaml:${line}:\\d+: error: `));
  });

  it('reads standard input for -', async () => {
    const r = await run(['dump', '-', '--node', 'node-1', '--what', 'addrs'], {
      '-': DEFAULT_YAML,
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^cni0\s+UP\s+10\.244\.0\.1\/24/m);
  });

  it('exits 2 with the usage on a usage error', async () => {
    for (const argv of [
      ['trace', 'c.yaml', '--from', 'pod:a'],
      ['dump', 'c.yaml', '--node', 'node-1', '--what', 'nonsense'],
      ['frobnicate', 'c.yaml'],
      ['check', 'missing.yaml'],
      ['trace', 'c.yaml', '--from', 'pod:a', '--to', 'http://api.example/'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain('usage:');
    }
  });

  it('runs as the installed bin (tsx, no build step)', () => {
    const help = execFileSync('node', ['bin/packetwalk.mjs', '--help'], { encoding: 'utf8' });
    expect(help).toContain('packetwalk trace FILE...');
    const r = spawnSync('node', ['bin/packetwalk.mjs', 'check', '-'], {
      input: DEFAULT_YAML,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
  });
});

describe('packetwalk CLI: dns: destinations', () => {
  const yaml = PRESETS.find((p) => p.id === 'coredns-records')!.files[0]!.text;
  const files = { 'd.yaml': yaml };

  it('traces a query as JSON (UDP 53 implied) and prints the answer like dig', async () => {
    const args = ['trace', 'd.yaml', '--from', 'pod:client', '--to', 'dns:web'];
    const json = await run([...args, '--json'], files);
    expect(json.code).toBe(0);
    const t = JSON.parse(json.out) as { flow: { proto: string }; dns: { tried: string[] } };
    expect(t.flow.proto).toBe('udp');
    expect(t.dns.tried).toEqual(['web.default.svc.cluster.local.']);
    const text = await run([...args, '--proto', 'udp'], files);
    expect(text.out).toContain(';; ANSWER SECTION:');
    expect((await run([...args, '--proto', 'tcp'], files)).code).toBe(2);
  });

  it('dump --what resolv prints the pod resolv.conf', async () => {
    const r = await run(['dump', 'd.yaml', '--node', 'default/client', '--what', 'resolv'], files);
    expect(r.out).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });
});

describe('packetwalk compare', () => {
  const cluster = PRESETS.find((p) => p.id === 'flannel-cluster-vxlan')!.files[0]!.text;
  const files = { 'f.yaml': cluster };
  const args = ['compare', 'f.yaml', '--from', 'pod:client', '--to', 'pod:web-b'];

  it('puts the flow on flannel VXLAN next to Calico IPIP, in two columns', async () => {
    const { code, out } = await run([...args, '--with', 'cni:calico-ipip'], files);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/flannel VXLAN \(as written\)\s+Calico IPIP$/);
    expect(lines.find((l) => l.startsWith('outcome'))).toMatch(/delivered\s+delivered$/);
    expect(lines.find((l) => l.startsWith('encapsulations'))).toMatch(
      /> node-1:flannel\.1 VXLAN \+50 B\s+> node-1:tunl0 IPIP \+20 B$/,
    );
  });

  it('answers the same comparison as JSON', async () => {
    const { code, out } = await run([...args, '--with', 'cni:calico-bgp', '--json'], files);
    expect(code).toBe(0);
    const c = JSON.parse(out);
    expect(c.a.variant).toBe('cni:flannel-vxlan');
    expect(c.b.variant).toBe('cni:calico-bgp');
    expect(c.b.summary.tunnels).toEqual([]);
  });

  it('refuses a data plane it does not know, with the list of those it does', async () => {
    const { code, err } = await run([...args, '--with', 'cni:weave'], files);
    expect(code).toBe(2);
    expect(err).toContain('--with must be one of: proxy:iptables, proxy:ipvs');
  });
});

describe('packetwalk CLI: http:// destinations through the ingress controller', () => {
  const yaml = PRESETS.find((p) => p.id === 'ingress-fanout')!.files[0]!.text;
  const files = { 'i.yaml': yaml };

  it('traces a URL from an outside client: hosts entry, NodePort, the rule that matched', async () => {
    const args = [
      'trace',
      'i.yaml',
      '--from',
      'ext:laptop',
      '--to',
      'http://rewrite.bar.com:32556/something/new',
    ];
    const text = await run(args, files);
    expect(text.code).toBe(0);
    expect(text.out).toContain('[http GET /something/new Host: rewrite.bar.com:32556]');
    expect(text.out).toContain('/something/new → /new');
    const json = await run([...args, '--json'], files);
    const t = JSON.parse(json.out);
    // flow.to stays the resolved ip endpoint, as trace --json printed URL flows before
    // Ingress was modelled; the URL is the added flow.url.
    expect(t.flow.to).toEqual({ kind: 'ip', ip: '192.168.56.11', port: 32556 });
    expect(t.flow.url).toEqual({
      kind: 'url',
      scheme: 'http',
      host: 'rewrite.bar.com',
      port: 32556,
      path: '/something/new',
    });
    expect(t.http).toMatchObject({
      resolved: { ip: '192.168.56.11', how: 'hosts' },
      ingress: { server: 'rewrite.bar.com', ingress: 'default/rewrite', upstreamPath: '/new' },
      response: { status: 200 },
    });
  });

  it('--resolve pins a host as curl does; an unknown host is a usage error naming it', async () => {
    const pinned = await run(
      [
        'trace',
        'i.yaml',
        '--from',
        'ext:laptop',
        '--to',
        'http://approot.bar.com:32556/',
        '--resolve',
        'approot.bar.com:192.168.56.12',
        '--json',
      ],
      files,
    );
    const t = JSON.parse(pinned.out);
    expect(t.http.resolved).toEqual({ ip: '192.168.56.12', how: 'resolve' });
    expect(t.http.response).toMatchObject({
      status: 302,
      location: 'http://approot.bar.com:32556/app1',
    });
    const unknown = await run(
      ['trace', 'i.yaml', '--from', 'ext:laptop', '--to', 'http://nope.example/'],
      files,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--resolve nope.example:IP');
  });
});
