import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EndpointSpec, TrafficResult } from '../../protocol/messages';
import {
  actions,
  selectFlowId,
  selectFlows,
  selectTopology,
  selectTraffic,
  selectTrafficRunning,
  useScenario,
} from '../../store';

const COUNTS = [30, 100, 300, 500, 1000];

type Bin = TrafficResult['histogram'][number];

/** The backends hit, then those the rules promise a share to that no connection reached. */
function rows(traffic: TrafficResult): Bin[] {
  const hit = traffic.histogram;
  const missing = (traffic.expected?.backends ?? [])
    .filter((b) => !hit.some((h) => h.backend === b.backend))
    .map((b) => ({ backend: b.backend, endpoint: null, count: 0, delivered: 0 }));
  return [...hit, ...missing];
}

/** Traffic mode: many connections of the current flow, and how they spread over the backends. */
export function TrafficPanel() {
  const { t } = useTranslation();
  const traffic = useScenario(selectTraffic);
  const running = useScenario(selectTrafficRunning);
  const topology = useScenario(selectTopology);
  const flows = useScenario(selectFlows);
  const flowId = useScenario(selectFlowId);
  const [count, setCount] = useState(300);
  const [allClients, setAllClients] = useState(false);
  const flow = flows.find((f) => f.id === flowId)?.flow;

  function sources(): EndpointSpec[] | undefined {
    if (!allClients || !topology) return undefined;
    return topology.nodes.flatMap((n) =>
      n.namespaces.flatMap((ns) =>
        ns.pod ? [{ kind: 'pod' as const, namespace: ns.pod.namespace, name: ns.pod.name }] : [],
      ),
    );
  }

  const total = traffic?.connections.length ?? 0;
  const clients = new Set(traffic?.connections.map((c) => c.client)).size;
  return (
    <div className="pw-traffic" data-testid="traffic-panel">
      <p className="pw-muted pw-small">{t('traffic.intro')}</p>
      <div className="pw-row pw-gap">
        <label>
          <span>{t('traffic.connections')}</span>
          <select
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
            data-testid="traffic-count"
          >
            {COUNTS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={allClients}
            onChange={(e) => setAllClients(e.target.checked)}
            data-testid="traffic-all-clients"
          />
          <span>{t('traffic.allClients')}</span>
        </label>
        <button
          className="pw-btn pw-btn-primary"
          disabled={!flow || running}
          onClick={() => void actions.runTraffic(count, sources())}
          data-testid="traffic-run"
        >
          {running ? t('traffic.running') : t('traffic.run')}
        </button>
        {traffic && (
          <button className="pw-btn" onClick={() => actions.clearTraffic()}>
            {t('traffic.clear')}
          </button>
        )}
      </div>
      {traffic && (
        <>
          <p className="pw-small" data-testid="traffic-summary">
            {t('traffic.summary', { total, clients, backends: traffic.histogram.length })}
          </p>
          <table className="pw-histogram" data-testid="traffic-histogram">
            <thead>
              <tr>
                <th scope="col">{t('traffic.backend')}</th>
                <th scope="col">{t('traffic.count')}</th>
                <th scope="col">{t('traffic.share')}</th>
              </tr>
            </thead>
            <tbody>
              {rows(traffic).map((bin) => {
                const share = total ? bin.count / total : 0;
                const expected = traffic.expected?.backends.find((b) => b.backend === bin.backend);
                const failed = bin.count - bin.delivered;
                return (
                  <tr key={bin.backend} data-testid="traffic-bin">
                    <th scope="row">
                      <span className="pw-mono">{bin.backend}</span>
                      {bin.endpoint && (
                        <div className="pw-muted pw-small pw-ellipsis">{bin.endpoint}</div>
                      )}
                      {failed > 0 && (
                        <span className="pw-bad pw-small">
                          {' '}
                          {t('traffic.failed', { n: failed })}
                        </span>
                      )}
                    </th>
                    <td className="pw-num">{bin.count}</td>
                    <td className="pw-bar-cell">
                      <span
                        className="pw-bar"
                        style={{ width: `${Math.round(share * 70)}%` }}
                        aria-hidden
                      />
                      {expected && (
                        <span
                          className="pw-bar-expected"
                          style={{ left: `${Math.round(expected.share * 70)}%` }}
                          aria-hidden
                        />
                      )}
                      <span className="pw-num">{(share * 100).toFixed(1)}%</span>
                      {traffic.expected && (
                        <div className="pw-muted pw-small">
                          {t('traffic.expected')}{' '}
                          <span className="pw-num" data-testid="traffic-expected">
                            {expected ? `${(expected.share * 100).toFixed(1)}%` : '–'}
                          </span>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {traffic.expected && (
            <p className="pw-muted pw-small" data-testid="traffic-basis">
              {traffic.expected.affinity
                ? t('traffic.basisAffinity', { chain: traffic.expected.chain })
                : t('traffic.basis', { chain: traffic.expected.chain })}
            </p>
          )}
        </>
      )}
    </div>
  );
}
