import { ReactFlowProvider } from '@xyflow/react';
import { ChevronFirst, ChevronLast, ChevronLeft, ChevronRight, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CompareSide } from '../../protocol/messages';
import { describeEvent } from '../timeline/describe';
import { FlowCanvas } from '../topology/FlowCanvas';

/** i18n key of a data plane's name (ids carry ':', i18next's namespace separator). */
export const variantNameKey = (id: string) => `compare.variant.${id.replace(':', '_')}`;

function clamp(n: number, side: CompareSide): number {
  return Math.max(0, Math.min(n, (side.trace?.events.length ?? 1) - 1));
}

function Side({
  side,
  scope,
  step,
  onStep,
  title,
}: {
  side: CompareSide;
  scope: 'a' | 'b';
  step: number;
  onStep: (n: number) => void;
  title: string;
}) {
  const { t } = useTranslation();
  const events = side.trace?.events ?? [];
  const event = events[step];
  const button = (label: string, icon: React.ReactNode, to: number, id: string) => (
    <button
      type="button"
      className="pw-icon-btn"
      aria-label={label}
      title={label}
      disabled={to === step || events.length === 0}
      onClick={() => onStep(clamp(to, side))}
      data-testid={`sbs-${scope}-${id}`}
    >
      {icon}
    </button>
  );
  return (
    <section className="pw-sbs-side" aria-label={title} data-testid={`sbs-side-${scope}`}>
      <div className="pw-sbs-head">
        <strong>{title}</strong>
        {side.summary && (
          <span className="pw-muted">
            {t(`compare.outcomes.${side.summary.outcome}`)} ·{' '}
            {t('compare.sbsSteps', { count: side.summary.steps })}
          </span>
        )}
      </div>
      {side.topology ? (
        <div className="pw-sbs-canvas">
          <ReactFlowProvider>
            <FlowCanvas
              topology={side.topology}
              trace={side.trace ?? null}
              step={step}
              scope={scope}
            />
          </ReactFlowProvider>
        </div>
      ) : (
        <p className="pw-compare-failed">{t('compare.failed', { message: side.error ?? '' })}</p>
      )}
      <div className="pw-sbs-controls">
        {button(t('steps.first'), <ChevronFirst size={16} />, 0, 'first')}
        {button(t('steps.back'), <ChevronLeft size={16} />, step - 1, 'back')}
        {button(t('steps.next'), <ChevronRight size={16} />, step + 1, 'next')}
        {button(t('steps.last'), <ChevronLast size={16} />, events.length - 1, 'last')}
        <span className="pw-muted" data-testid={`sbs-${scope}-count`}>
          {t('steps.counter', { step: events.length ? step + 1 : 0, count: events.length })}
        </span>
      </div>
      <p className="pw-sbs-sentence" aria-live="polite" data-testid={`sbs-${scope}-sentence`}>
        {event ? `${event.ns} · ${describeEvent(event, t)}` : ''}
      </p>
    </section>
  );
}

/**
 * The comparison on two canvases: each data plane's cluster with its own trace, stepped on
 * its own or both at once (← / → step both, Escape closes).
 */
export function SideBySide({
  a,
  b,
  onClose,
}: {
  a: CompareSide;
  b: CompareSide;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [steps, setSteps] = useState<[number, number]>([0, 0]);
  const both = (d: number) => setSteps(([x, y]) => [clamp(x + d, a), clamp(y + d, b)]);
  useEffect(() => {
    // Captured before the page's own keys, which would step the trace under the overlay.
    function onKey(e: KeyboardEvent) {
      const keys: Record<string, () => void> = {
        Escape: onClose,
        ArrowRight: () => both(1),
        ArrowLeft: () => both(-1),
      };
      const act = keys[e.key];
      if (!act) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      act();
    }
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });
  const name = (side: CompareSide) => t(variantNameKey(side.variant));
  // On the body: the panels' layout would otherwise contain a fixed element.
  return createPortal(
    <div
      className="pw-sbs"
      role="dialog"
      aria-modal="true"
      aria-label={t('compare.sbsTitle')}
      data-testid="side-by-side"
    >
      <div className="pw-sbs-bar">
        <strong>{t('compare.sbsTitle')}</strong>
        <button type="button" onClick={() => both(-1)} data-testid="sbs-both-back">
          {t('compare.sbsBothBack')}
        </button>
        <button type="button" onClick={() => both(1)} data-testid="sbs-both-next">
          {t('compare.sbsBothNext')}
        </button>
        <span className="pw-muted pw-small">{t('compare.sbsKeys')}</span>
        <button
          type="button"
          className="pw-icon-btn pw-sbs-close"
          onClick={onClose}
          aria-label={t('compare.sbsClose')}
          title={t('compare.sbsClose')}
          data-testid="sbs-close"
        >
          <X size={18} />
        </button>
      </div>
      <div className="pw-sbs-body">
        <Side
          side={a}
          scope="a"
          step={steps[0]}
          onStep={(n) => setSteps(([, y]) => [n, y])}
          title={t('compare.thisOne', { name: name(a) })}
        />
        <Side
          side={b}
          scope="b"
          step={steps[1]}
          onStep={(n) => setSteps(([x]) => [x, n])}
          title={name(b)}
        />
      </div>
    </div>,
    document.body,
  );
}
