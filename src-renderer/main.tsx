import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createAppStores } from './app/app-stores';
import { createTriadClient } from './transport/create-client';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Built once, outside React: StrictMode's double effects must not open a second event subscription.
const stores = createAppStores(createTriadClient());

createRoot(root).render(
  <StrictMode>
    <App stores={stores} />
  </StrictMode>,
);
