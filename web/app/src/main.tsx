import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './config';
import './style.css';

const root = createRoot(document.getElementById('root')!);
(async () => {
  if (__DEV_WALLET__) (await import('./devWallet')).installDevWallet();
  try {
    root.render(<App config={await loadConfig()} />);
  } catch (error) {
    root.render(
      <main>
        <h1>healthchain</h1>
        <p role="alert">{(error as Error).message}</p>
      </main>,
    );
  }
})();
