import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DumpWhat } from '../../protocol/messages';
import { actions, selectDump, selectNodes, selectTrace, useScenario } from '../../store';

const WHATS: DumpWhat[] = [
  'iptables-save',
  'routes',
  'neigh',
  'fdb',
  'links',
  'addrs',
  'conntrack',
  'ipset',
  'ipvsadm',
  'iptables-list',
];

/** A node's tables as its tools print them, after the traced flow. */
export function NodeTables() {
  const { t } = useTranslation();
  const nodes = useScenario(selectNodes);
  const dump = useScenario(selectDump);
  const trace = useScenario(selectTrace);
  const [node, setNode] = useState<string>('');
  const [what, setWhat] = useState<DumpWhat>('iptables-save');
  const chosen = nodes.includes(node) ? node : (nodes[0] ?? '');

  useEffect(() => {
    if (chosen) void actions.requestDump(chosen, what);
  }, [chosen, what, trace]);

  return (
    <div className="pw-tables" data-testid="node-tables">
      <div className="pw-row">
        <label>
          <span>{t('inspector.node')}</span>
          <select value={chosen} onChange={(e) => setNode(e.target.value)} data-testid="dump-node">
            {nodes.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('inspector.tool')}</span>
          <select
            value={what}
            onChange={(e) => setWhat(e.target.value as DumpWhat)}
            data-testid="dump-what"
          >
            {WHATS.map((w) => (
              <option key={w} value={w}>
                {t(`dump.${w}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <pre className="pw-code pw-dump" data-testid="dump-text" tabIndex={0}>
        {dump?.error ?? dump?.text ?? t('inspector.loading')}
        {dump?.text === '' && t('inspector.emptyTable')}
      </pre>
    </div>
  );
}
