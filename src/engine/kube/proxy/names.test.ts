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
