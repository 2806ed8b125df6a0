import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointChain, serviceChains, servicePortName } from './names';

describe('kube-proxy chain names', () => {
  it('reproduces the names every kubeadm cluster has for kubernetes and kube-dns', () => {
    expect(serviceChains(servicePortName('default', 'kubernetes', 'https'), 'tcp').svc).toBe(
      'KUBE-SVC-NPX46M4PTMTKRN6Y',
    );
    expect(serviceChains(servicePortName('kube-system', 'kube-dns', 'dns'), 'udp').svc).toBe(
      'KUBE-SVC-TCOU7JCQXEZGVUNU',
    );
    expect(serviceChains(servicePortName('kube-system', 'kube-dns', 'dns-tcp'), 'tcp').svc).toBe(
      'KUBE-SVC-ERIFXISQEP7F7OF4',
    );
    expect(serviceChains(servicePortName('kube-system', 'kube-dns', 'metrics'), 'tcp').svc).toBe(
      'KUBE-SVC-JD5MR3NA4I4DYORP',
    );
  });

  it('reproduces the chains of the seed listings (000 §5.4.2, 002)', () => {
    const spn = servicePortName('default', 'nginx-deploy');
    expect(serviceChains(spn, 'tcp').svc).toBe('KUBE-SVC-I3MZKEX26BFPQC5G');
    expect(endpointChain(spn, 'tcp', '10.32.0.10:80')).toBe('KUBE-SEP-JJ4EMQL3SIA7AKAP');
    expect(endpointChain(spn, 'tcp', '10.32.0.9:80')).toBe('KUBE-SEP-Y6QONWGPY6X4R5GG');
    expect(endpointChain(spn, 'tcp', '10.40.0.6:80')).toBe('KUBE-SEP-3RXQWVMJJL4LJKWS');
    // 002 comes from an older kube-proxy whose port names kept a trailing colon when unnamed
    // ("default/redis:"); the hash input is otherwise the same concatenation.
    expect(serviceChains('default/redis:', 'tcp').svc).toBe('KUBE-SVC-SCFPZ36VFLUNBB47');
    expect(endpointChain('default/redis:', 'tcp', '10.244.1.69:6379')).toBe(
      'KUBE-SEP-UH5EYFQKYB24RWKN',
    );
    expect(serviceChains('default/redis-sa:', 'tcp').svc).toBe('KUBE-SVC-YUZPDSCUOF7FG5LD');
    expect(endpointChain('default/redis-sa:', 'tcp', '10.244.1.69:6379')).toBe(
      'KUBE-SEP-6MUUJB4K75LGZXHS',
    );
  });

  it('an unnamed port has no colon in its service port name', () => {
    expect(servicePortName('default', 'nginx')).toBe('default/nginx');
  });

  it('names are stable, at most 28 characters, and share one hash across SVC/SVL/EXT/FW', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{1,63}$/),
        fc.stringMatching(/^[a-z0-9-]{1,63}$/),
        fc.constantFrom('tcp', 'udp', 'sctp'),
        fc.ipV4(),
        (ns, name, proto, ip) => {
          const spn = servicePortName(ns, name, 'http');
          const a = serviceChains(spn, proto);
          expect(serviceChains(spn, proto)).toEqual(a);
          expect(a.svl.slice(9)).toBe(a.svc.slice(9));
          expect(a.fw.slice(8)).toBe(a.svc.slice(9));
          const sep = endpointChain(spn, proto, `${ip}:80`);
          expect(sep).toMatch(/^KUBE-SEP-[A-Z2-7]{16}$/);
          for (const c of [a.svc, a.svl, a.ext, a.fw, sep])
            expect(c.length).toBeLessThanOrEqual(28);
        },
      ),
    );
  });
});
