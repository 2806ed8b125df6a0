import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompareSide, TraceSummary, VariantInfo } from '../../protocol/messages';
import { compareStore, useCompare } from '../../store';
import { SideBySide, variantNameKey } from './SideBySide';

const nameKey = variantNameKey;

/** → on the way there, ← on the way back (the reply). */
const arrow = (dir: string) => (dir === 'request' ? '→' : '←');

type Row = { key: string; value: (s: TraceSummary) => string | string[] };

function rows(t: (k: string, o?: Record<string, unknown>) => string): Row[] {
  const none = t('compare.noneShort');
  const list = (xs: string[]) => (xs.length ? xs : [none]);
  return [
    { key: 'outcome', value: (s) => t(`compare.outcomes.${s.outcome}`) },
    { key: 'steps', value: (s) => String(s.steps) },
    { key: 'rules', value: (s) => `${s.rulesEvaluated} (${s.rulesMatched})` },
    { key: 'chains', value: (s) => String(s.chains) },
    {
      key: 'nat',
      value: (s) =>
        list(s.nat.map((n) => `${arrow(n.dir)} ${n.ns} · ${n.type} ${n.before} → ${n.after}`)),
    },
    { key: 'ipvs', value: (s) => String(s.ipvs) },
    {
      key: 'tunnels',
      value: (s) =>
        list(
          s.tunnels.map(
            (x) => `${arrow(x.dir)} ${x.ns}:${x.dev} · ${x.tunnel.toUpperCase()} +${x.overhead} B`,
          ),
        ),
    },
    {
      key: 'bridges',
      value: (s) => list(s.bridges.map((b) => `${arrow(b.dir)} ${b.bridge} · ${b.action}`)),
    },
    { key: 'relays', value: (s) => String(s.relays) },
    { key: 'hosts', value: (s) => s.hosts.join(' → ') },
    {
      key: 'path',
      value: (s) => s.hops.map((h) => `${arrow(h.dir)} ${h.from} ⇢ ${h.to} (${h.link})`),
    },
  ];
}

function Cell({ side, row }: { side: CompareSide; row: Row }) {
  const { t } = useTranslation();
  if (!side.summary)
    return row.key === 'outcome' ? (
      <td className="pw-compare-failed">{t('compare.failed', { message: side.error ?? '' })}</td>
    ) : (
      <td />
    );
  const v = row.value(side.summary);
  return <td>{Array.isArray(v) ? v.map((x, i) => <div key={i}>{x}</div>) : v}</td>;
}

function Picker({ variants, value }: { variants: VariantInfo[]; value: string | null }) {
  const { t } = useTranslation();
  const group = (axis: VariantInfo['axis'], label: string) => (
    <optgroup label={label}>
      {variants
        .filter((v) => v.axis === axis)
        .map((v) => (
          <option key={v.id} value={v.id}>
            {v.current ? t('compare.thisOne', { name: t(nameKey(v.id)) }) : t(nameKey(v.id))}
          </option>
        ))}
    </optgroup>
  );
  return (
    <label className="pw-compare-pick">
      {t('compare.pick')}{' '}
      <select
        data-testid="compare-variant"
        value={value ?? ''}
        onChange={(e) => void compareStore.getState().choose(e.target.value || null)}
      >
        <option value="">—</option>
        {group('proxy', t('compare.axisProxy'))}
        {group('cni', t('compare.axisCni'))}
      </select>
    </label>
  );
}

/** The current flow on this data plane and on another, side by side. */
export function ComparePanel() {
  const { t } = useTranslation();
  const variants = useCompare((s) => s.variants);
  const variant = useCompare((s) => s.variant);
  const result = useCompare((s) => s.result);
  const status = useCompare((s) => s.status);
  const error = useCompare((s) => s.error);
  const [sideBySide, setSideBySide] = useState(false);
  useEffect(() => void compareStore.getState().open(), []);
  const chosen = variants.find((v) => v.id === variant);
  const canvases = result && !('error' in result) && (result.a.topology || result.b.topology);
  return (
    <div className="pw-compare" data-testid="compare-panel">
      <p className="pw-muted pw-small">{t('compare.intro')}</p>
      <Picker variants={variants} value={variant} />
      {status === 'running' && <span className="pw-muted"> {t('compare.running')}</span>}
      {canvases && (
        <button
          type="button"
          className="pw-sbs-open"
          onClick={() => setSideBySide(true)}
          data-testid="compare-side-by-side"
        >
          {t('compare.sideBySide')}
        </button>
      )}
      {sideBySide && result && !('error' in result) && (
        <SideBySide a={result.a} b={result.b} onClose={() => setSideBySide(false)} />
      )}
      {error && (
        <p role="alert" className="pw-compare-failed">
          {error}
        </p>
      )}
      {!variant && <p className="pw-muted">{t('compare.none')}</p>}
      {chosen?.current && <p className="pw-muted">{t('compare.same')}</p>}
      {result && 'error' in result && (
        <p role="alert" className="pw-compare-failed">
          {result.error}
        </p>
      )}
      {result && !('error' in result) && (
        <table className="pw-compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">{t('compare.metric')}</th>
              {[result.a, result.b].map((side, i) => (
                <th scope="col" key={i} data-testid={`compare-side-${i === 0 ? 'a' : 'b'}`}>
                  {i === 0
                    ? t('compare.thisOne', { name: t(nameKey(side.variant)) })
                    : t(nameKey(side.variant))}
                  {side.diagnostics.length > 0 && (
                    <div className="pw-muted pw-small">
                      {t('compare.warnings', { count: side.diagnostics.length })}
                    </div>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows(t).map((row) => (
              <tr key={row.key} data-testid={`compare-row-${row.key}`}>
                <th scope="row">{t(`compare.${row.key}`)}</th>
                <Cell side={result.a} row={row} />
                <Cell side={result.b} row={row} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
