import { describe, expect, it } from 'vitest';
import { ip4 } from '../wire/ip';
import { addMember, createSet, initval, ipsetRestore, listSet, setTest, type IpSet } from './ipset';
import { tcp, udp } from './testing';

function filled(name: string, type: IpSet['type'], members: string[]): IpSet {
  const s = createSet(name, type);
  for (const m of members) expect(addMember(s, m)).toBe(true);
  return s;
}

describe('ipset list', () => {
  it('prints the format ipset 7.17 prints (recorded on Debian 12, kernel 6.18)', () => {
    // Recorded: `ipset create KUBE-CLUSTER-IP hash:ip,port`, two adds, `ipset list` →
    //   Name: KUBE-CLUSTER-IP / Type: hash:ip,port / Revision: 7 /
    //   Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xe7c01d95 /
    //   Size in memory: 312 / References: 2 / Number of entries: 2 / Members: …
    // initval is random in the kernel (here derived from the name) and the size depends on
    // its hash buckets, so those two are stand-ins; every other line is exact.
    const s = filled('KUBE-CLUSTER-IP', 'hash:ip,port', ['10.96.0.1,tcp:443', '10.96.0.10,udp:53']);
    expect(listSet(s, 2)).toBe(
      [
        'Name: KUBE-CLUSTER-IP',
        'Type: hash:ip,port',
        'Revision: 7',
        `Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval ${initval('KUBE-CLUSTER-IP')}`,
        'Size in memory: 312',
        'References: 2',
        'Number of entries: 2',
        'Members:',
        '10.96.0.1,tcp:443',
        '10.96.0.10,udp:53',
      ].join('\n'),
    );
    expect(initval('KUBE-CLUSTER-IP')).toMatch(/^0x[0-9a-f]{8}$/);
  });

  it('bitmap:port has a range header and expands ranges; hash:net prints /32 members bare', () => {
    const b = filled('P', 'bitmap:port', ['80', '30000-30002']);
    expect(listSet(b, 0)).toBe(
      'Name: P\nType: bitmap:port\nRevision: 3\nHeader: range 0-65535\nSize in memory: 8264\nReferences: 0\nNumber of entries: 4\nMembers:\n80\n30000\n30001\n30002',
    );
    const n = filled('N', 'hash:net', ['10.244.0.0/16', '10.0.0.1', '10.0.0.1/32']);
    expect([...n.members.keys()]).toEqual(['10.244.0.0/16', '10.0.0.1']);
  });
});

describe('membership', () => {
  it.each([
    ['hash:ip', ['10.96.0.10'], ['dst'], udp('1.1.1.1', 1, '10.96.0.10', 53), true],
    ['hash:ip', ['10.96.0.10'], ['src'], udp('1.1.1.1', 1, '10.96.0.10', 53), false],
    [
      'hash:ip,port',
      ['10.96.0.10,udp:53'],
      ['dst', 'dst'],
      udp('1.1.1.1', 1, '10.96.0.10', 53),
      true,
    ],
    [
      'hash:ip,port',
      ['10.96.0.10,udp:53'],
      ['dst', 'dst'],
      tcp('1.1.1.1', 1, '10.96.0.10', 53),
      false,
    ],
    ['hash:ip,port', ['10.96.0.10,53'], ['dst', 'dst'], tcp('1.1.1.1', 1, '10.96.0.10', 53), true],
    ['hash:ip,port', ['10.96.0.10,udp:53'], ['dst'], udp('1.1.1.1', 1, '10.96.0.10', 53), false],
    ['hash:net', ['10.244.0.0/16'], ['src'], tcp('10.244.3.4', 1, '1.1.1.1', 80), true],
    ['hash:net', ['10.244.0.0/16'], ['src'], tcp('10.245.3.4', 1, '1.1.1.1', 80), false],
    [
      'hash:ip,port,ip',
      ['10.244.0.2,tcp:80,10.244.0.2'],
      ['dst', 'dst', 'src'],
      tcp('10.244.0.2', 9, '10.244.0.2', 80),
      true,
    ],
    [
      'hash:ip,port,ip',
      ['10.244.0.2,tcp:80,10.244.0.2'],
      ['dst', 'dst', 'src'],
      tcp('10.244.0.3', 9, '10.244.0.2', 80),
      false,
    ],
    [
      'hash:ip,port,net',
      ['10.96.0.10,tcp:80,10.244.0.0/16'],
      ['dst', 'dst', 'src'],
      tcp('10.244.9.9', 9, '10.96.0.10', 80),
      true,
    ],
    ['bitmap:port', ['30000-30010'], ['dst'], tcp('1.1.1.1', 9, '2.2.2.2', 30005), true],
    ['bitmap:port', ['30000-30010'], ['dst'], tcp('1.1.1.1', 9, '2.2.2.2', 30011), false],
  ] as const)('%s %j %j', (type, members, dirs, p, hit) => {
    expect(setTest(filled('S', type, [...members]), p, [...dirs])).toBe(hit);
  });

  it('rejects malformed members', () => {
    const s = createSet('S', 'hash:ip,port');
    expect(addMember(s, '10.96.0.10')).toBe(false);
    expect(addMember(s, '10.96.0.10,icmp:53')).toBe(false);
    expect(addMember(s, '10.96.0.300,tcp:53')).toBe(false);
    expect(s.members.size).toBe(0);
  });
});

describe('ipset restore', () => {
  it('loads what kube-proxy writes, with -exist, and reports bad lines', () => {
    const sets = new Map<string, IpSet>();
    const d = ipsetRestore(
      sets,
      'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 -exist\nadd KUBE-CLUSTER-IP 10.96.0.1,tcp:443 -exist\nadd KUBE-CLUSTER-IP 10.96.0.1,tcp:443 -exist\nadd KUBE-CLUSTER-IP 10.96.0.1,tcp:443\nadd NOPE 1.2.3.4\ncreate X hash:mac\n',
      'sets',
    );
    expect(d.map((x) => [x.line, x.code])).toEqual([
      [4, 'PW3012'],
      [5, 'PW3012'],
      [6, 'PW3012'],
    ]);
    expect(
      setTest(sets.get('KUBE-CLUSTER-IP')!, tcp('1.1.1.1', 1, '10.96.0.1', 443), ['dst', 'dst']),
    ).toBe(true);
    expect(ip4('10.96.0.1')).toBeGreaterThan(0);
  });
});
