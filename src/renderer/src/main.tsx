// The design tokens first: feature stylesheets imported by the components below build on them.
import './styles.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import { createQueryClient } from './app/query-client';
import { createClient } from './lib/client';
import { ClientProvider } from './lib/query';

// The CSP forbids eval: tell zod not to probe `new Function` for its JIT (it would only log a CSP violation).
z.config({ jitless: true });

// createClient consumes `#token=` from the address bar before the router reads the hash.
const client = createClient();
const queryClient = createQueryClient();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <ClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ClientProvider>
  </StrictMode>,
);
