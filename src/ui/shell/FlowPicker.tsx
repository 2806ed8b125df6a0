import { Shuffle } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { actions, selectFlowId, selectFlows, selectSeed, useScenario } from '../../store';
import { FlowBuilder } from './FlowBuilder';

/** Which flow to follow, and the seed that picks among equal choices (endpoints, ports). */
export function FlowPicker() {
  const { t } = useTranslation();
  const flows = useScenario(selectFlows);
  const flowId = useScenario(selectFlowId);
  const seed = useScenario(selectSeed);
  return (
    <div className="pw-flow">
      <label className="pw-field">
        <span>{t('header.flow')}</span>
        <select
          value={flowId ?? ''}
          onChange={(e) => void actions.selectFlow(e.target.value)}
          disabled={!flows.length}
          data-testid="flow-picker"
        >
          {flows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <FlowBuilder />
      <label className="pw-field pw-seed">
        <span>{t('header.seed')}</span>
        <input
          type="number"
          min={0}
          value={seed}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 0) void actions.setSeed(n);
          }}
          data-testid="seed"
        />
      </label>
      <button
        className="pw-icon-btn"
        onClick={() => void actions.setSeed(seed + 1)}
        title={t('header.reseed')}
        aria-label={t('header.reseed')}
      >
        <Shuffle size={16} />
      </button>
    </div>
  );
}
