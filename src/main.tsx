import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './ui/i18n';
import { App } from './ui/App';
import { installDebugHooks } from './ui/debug-hooks';
import './ui/styles.css';
import { startLayoutWorker } from './ui/topology/useLayout';

installDebugHooks(location.search);
startLayoutWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
