import { ReactFlowProvider } from '@xyflow/react';
import {
  selectStale,
  selectStep,
  selectTopology,
  selectTrace,
  selectTraffic,
  useScenario,
} from '../../store';
import { FlowCanvas } from './FlowCanvas';

/** The page's canvas: the scenario's cluster and the current step of its trace. */
function Canvas() {
  const topology = useScenario(selectTopology);
  const stale = useScenario(selectStale);
  const trace = useScenario(selectTrace);
  const step = useScenario(selectStep);
  const traffic = useScenario(selectTraffic);
  return (
    <FlowCanvas
      topology={topology}
      trace={trace}
      step={step}
      stale={stale}
      traffic={traffic}
      main
    />
  );
}

export default function TopologyCanvas() {
  return (
    <ReactFlowProvider>
      <Canvas />
    </ReactFlowProvider>
  );
}
