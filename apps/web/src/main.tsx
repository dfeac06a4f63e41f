import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { ApiError } from './api/client';
import { incidentQuery } from './api/queries';
import { router } from './app';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      // A refusal (4xx) will not change by asking again; a 5xx or a network error may.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
    mutations: { retry: false },
  },
});

// Opened on an incident (a link from a page, chat or a notification): its data and its page's
// code are fetched beside the session, not after it, so the page shows a round trip sooner.
const opened = /^\/incidents\/([^/]+)$/.exec(window.location.pathname);
if (opened && opened[1] !== 'new') {
  void queries.prefetchQuery(incidentQuery(decodeURIComponent(opened[1])));
  void import('./pages/incident');
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
