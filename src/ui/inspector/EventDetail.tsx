import { useTranslation } from 'react-i18next';
import type { TraceEvent } from '../../protocol/messages';
import { describeEvent } from '../timeline/describe';

/** What this step did, with the exact text the node's tools would show (rule, route, entry). */
export function EventDetail({ event }: { event: TraceEvent }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('inspector.where'), event.ns === event.node ? event.node : `${event.node} · ${event.ns}`],
    [t('inspector.direction'), t(`dir.${event.dir}`)],
  ];
  switch (event.kind) {
    case 'hook':
      rows.push([t('inspector.hook'), event.hook]);
      break;
    case 'netfilter':
      rows.push(
        [t('inspector.hook'), event.hook],
        [t('inspector.chain'), `${event.table} / ${event.chain}`],
      );
      rows.push([t('inspector.verdict'), event.verdict]);
      break;
    case 'route':
      rows.push([t('inspector.table'), event.table], [t('inspector.result'), event.result]);
      break;
    case 'nat':
      rows.push([t('inspector.before'), event.before], [t('inspector.after'), event.after]);
      break;
    case 'drop':
      rows.push([t('inspector.reason'), event.message], [t('inspector.at'), event.where]);
      break;
    default:
      break;
  }
  const code =
    event.kind === 'netfilter'
      ? (event.rule ?? `:${event.chain} ${event.verdict}`)
      : event.kind === 'route'
        ? event.route
        : event.kind === 'conntrack'
          ? event.entry
          : event.kind === 'bridge'
            ? event.fdb
            : null;
  return (
    <div className="pw-event" data-testid="event-detail">
      <p className="pw-event-sentence">{describeEvent(event, t)}</p>
      <dl className="pw-kv">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {code && <pre className="pw-code">{code}</pre>}
    </div>
  );
}
