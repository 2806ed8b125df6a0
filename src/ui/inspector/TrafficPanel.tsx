import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EndpointSpec } from '../../protocol/messages';
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
              {traffic.histogram.map((bin) => {
                const share = total ? bin.count / total : 0;
                const failed = bin.count - bin.delivered;
                return (
                  <tr key={bin.backend} data-testid="traffic-bin">
                    <th scope="row">
                      <span className="pw-mono">{bin.backend}</span>
                      {bin.endpoint && <span className="pw-muted pw-small"> {bin.endpoint}</span>}
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
                        style={{ width: `${Math.round(share * 100)}%` }}
                        aria-hidden
                      />
                      <span className="pw-num">{(share * 100).toFixed(1)}%</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
