import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { UNAUTHORIZED_EVENT } from './api.js';
import { ComparePage } from './pages/ComparePage.js';
import { QueuePage } from './pages/QueuePage.js';
import { RunPage } from './pages/RunPage.js';
import { RunsPage } from './pages/RunsPage.js';
import { SweepPage } from './pages/SweepPage.js';
import { SweepsPage } from './pages/SweepsPage.js';
import './styles.css';

/** Hash routes keep the server a plain static host: #/runs?sweep=…, #/runs/<id>, #/compare?ids=… */
function readRoute(): { path: string; params: URLSearchParams } {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = hash.split('?');
  return { path, params: new URLSearchParams(search) };
}

function useRoute(): { path: string; params: URLSearchParams } {
  const read = readRoute;
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The server's answer when a read needed the token: how to open the dashboard with it. */
function useUnauthorized(): string | null {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const onUnauthorized = (event: Event) => setMessage(String((event as CustomEvent<unknown>).detail));
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);
  return message;
}

function App() {
  const { path, params } = useRoute();
  const unauthorized = useUnauthorized();
  const runMatch = /^\/runs\/(.+)$/.exec(path);
  const sweepMatch = /^\/sweeps\/(.+)$/.exec(path);
  let page: React.ReactNode;
  if (runMatch?.[1] !== undefined) page = <RunPage id={decodeURIComponent(runMatch[1])} />;
  else if (sweepMatch?.[1] !== undefined) page = <SweepPage id={decodeURIComponent(sweepMatch[1])} />;
  else if (path === '/runs') page = <RunsPage sweep={params.get('sweep') ?? undefined} />;
  else if (path === '/compare')
    page = <ComparePage ids={(params.get('ids') ?? '').split(',').filter((id) => id !== '')} />;
  else if (path === '/queue') page = <QueuePage />;
  else page = <SweepsPage />;
  return (
    <>
      <nav className="top">
        <strong>ltlab</strong>
        <a href="#/">Sweeps</a>
        <a href="#/runs">Runs</a>
        <a href="#/queue">Queue</a>
      </nav>
      <main>
        {unauthorized !== null && (
          <p className="error" data-testid="unauthorized">
            {unauthorized}
          </p>
        )}
        {page}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
