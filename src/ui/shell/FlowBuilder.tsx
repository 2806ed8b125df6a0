import { Plus, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { actions, selectEndpoints, useScenario } from '../../store';

type Proto = 'tcp' | 'udp' | 'icmp';

/**
 * Compose a flow the way the CLI takes it: a source and a destination (pods, Services with a
 * port, nodes, or any `ip:A.B.C.D[:PORT]`), and a protocol. The engine checks it.
 */
export function FlowBuilder() {
  const { t } = useTranslation();
  const endpoints = useScenario(selectEndpoints);
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [proto, setProto] = useState<Proto>('tcp');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const err = await actions.addCustomFlow(
      from || endpoints.sources[0] || '',
      to || endpoints.targets[0] || '',
      proto,
    );
    setError(err);
    if (!err) setOpen(false);
  }

  return (
    <div className="pw-flow-builder">
      <button
        className="pw-icon-btn"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-label={t('flow.compose')}
        title={t('flow.compose')}
        data-testid="flow-compose"
      >
        <Plus size={16} />
      </button>
      {open && (
        <form className="pw-popover" onSubmit={(e) => void submit(e)} data-testid="flow-builder">
          <div className="pw-popover-head">
            <strong>{t('flow.compose')}</strong>
            <button
              type="button"
              className="pw-icon-btn"
              onClick={() => setOpen(false)}
              aria-label={t('notice.dismiss')}
            >
              <X size={14} />
            </button>
          </div>
          <label className="pw-field-col">
            <span>{t('flow.from')}</span>
            <input
              list="pw-flow-sources"
              value={from}
              placeholder={endpoints.sources[0] ?? 'pod:NS/NAME'}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="flow-from"
            />
          </label>
          <label className="pw-field-col">
            <span>{t('flow.to')}</span>
            <input
              list="pw-flow-targets"
              value={to}
              placeholder={endpoints.targets[0] ?? 'svc:NS/NAME:PORT'}
              onChange={(e) => setTo(e.target.value)}
              data-testid="flow-to"
            />
          </label>
          <label className="pw-field-col">
            <span>{t('flow.proto')}</span>
            <select
              value={proto}
              onChange={(e) => setProto(e.target.value as Proto)}
              data-testid="flow-proto"
            >
              <option value="tcp">TCP</option>
              <option value="udp">UDP</option>
              <option value="icmp">ICMP (ping)</option>
            </select>
          </label>
          <p className="pw-muted pw-small">{t('flow.syntax')}</p>
          {error && (
            <p className="pw-bad pw-small" role="alert" data-testid="flow-error">
              {error}
            </p>
          )}
          <button type="submit" className="pw-btn pw-btn-primary" data-testid="flow-trace">
            {t('flow.trace')}
          </button>
          <datalist id="pw-flow-sources">
            {endpoints.sources.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <datalist id="pw-flow-targets">
            {endpoints.targets.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </form>
      )}
    </div>
  );
}
