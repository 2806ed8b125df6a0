import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iptablesNatLab } from '../kube/labs';
import { dump } from './dump';
import { runFlow, type FlowRun } from './testing/diff';
import { kernelUnavailable, KernelLab } from './testing/kernel';

// The nat table's counters after one TCP connection through the NAT router, in the real
// namespaces (`iptables -t nat -L -n -v`) and in the engine's dump after the same flow. Only
// a connection's first packet walks the nat table, so the SYN alone is counted there, in the
// kernel as in the engine; the other tables also see the kernel's ACKs, data and FINs, which
// the engine's trace does not send, so they are not compared.

const unavailable = kernelUnavailable();

describe.skipIf(unavailable !== null)(
  `kernel differential: nat counters after a flow${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const lab = iptablesNatLab();
    const kernel = new KernelLab(lab, `pc${process.pid % 100000}`);
    let run: FlowRun | undefined;
    beforeAll(async () => {
      kernel.build();
      run = await runFlow(kernel, 0, lab);
    }, 30_000);
    afterAll(() => kernel.destroy());

    it('counts the SYN on the DNAT and SNAT rules, in the kernel as in the engine', () => {
      const real = kernel.exec('router', 'iptables', '-t', 'nat', '-L', '-n', '-v');
      const d = dump(run!.world, 'router', 'iptables-list');
      const text = 'text' in d ? d.text : d.error;
      const nat = text.slice(text.indexOf('# Table: nat\n') + '# Table: nat\n'.length);
      expect(nat).toBe(real);
      expect(nat).toMatch(/^ {4}1 {4}60 DNAT /m);
    });
  },
);
