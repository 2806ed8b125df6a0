import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DumpWhat } from '../../protocol/messages';
import {
  actions,
  litLines,
  selectCurrentEvent,
  selectDump,
  selectTopology,
  selectTrace,
  toolFor,
  useInspector,
  useScenario,
} from '../../store';

const WHATS: DumpWhat[] = [
  'iptables-save',
  'iptables-list',
  'routes',
  'neigh',
  'fdb',
  'links',
  'addrs',
  'conntrack',
  'ipset',
  'ipvsadm',
  'bgp',
];

/** A node's (or pod's) tables as its tools print them after the flow, the used row lit. */
export function NodeTables() {
  const { t } = useTranslation();
  const topology = useScenario(selectTopology);
  const dump = useScenario(selectDump);
  const trace = useScenario(selectTrace);
  const event = useScenario(selectCurrentEvent);
  const { tablesOf, what, follow, showTables, setWhat, setFollow } = useInspector();

  const targets = useMemo(
    () =>
      (topology?.nodes ?? []).flatMap((n) =>
        n.namespaces.map((ns) => ({ id: ns.id, label: ns.kind === 'root' ? ns.id : `  ${ns.id}` })),
      ),
    [topology],
  );
  const followed = follow && event ? { of: event.ns, what: toolFor(event) ?? what } : null;
  const of = followed?.of ?? (targets.some((x) => x.id === tablesOf) ? tablesOf : targets[0]?.id);
  const tool = followed?.what ?? what;

  useEffect(() => {
    if (of) void actions.requestDump(of, tool);
  }, [of, tool, trace]);

  const text = dump?.node === of && dump?.what === tool ? dump.text : null;
  const lit = useMemo(
    () => (text ? litLines(text, tool, event) : new Set<number>()),
    [text, tool, event],
  );
  const pre = useRef<HTMLPreElement | null>(null);
  useEffect(() => {
    pre.current?.querySelector('.pw-lit')?.scrollIntoView({ block: 'nearest' });
  }, [lit]);

  return (
    <div className="pw-tables" data-testid="node-tables">
      <div className="pw-row">
        <label>
          <span>{t('inspector.node')}</span>
          <select
            value={of ?? ''}
            onChange={(e) => showTables(e.target.value)}
            data-testid="dump-node"
          >
            {targets.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('inspector.tool')}</span>
          <select
            value={tool}
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
        <label>
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
            data-testid="dump-follow"
          />
          <span>{t('inspector.follow')}</span>
        </label>
      </div>
      <pre className="pw-code pw-dump" data-testid="dump-text" tabIndex={0} ref={pre}>
        {dump?.error && dump.node === of
          ? dump.error
          : text === null
            ? t('inspector.loading')
            : text === ''
              ? t('inspector.emptyTable')
              : text.split('\n').map((line, i) =>
                  lit.has(i) ? (
                    <mark key={i} className="pw-lit" data-testid="dump-lit">
                      {line}
                      {'\n'}
                    </mark>
                  ) : (
                    <span key={i}>
                      {line}
                      {'\n'}
                    </span>
                  ),
                )}
      </pre>
    </div>
  );
}
