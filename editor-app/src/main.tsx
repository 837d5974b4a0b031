import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { DocumentSummaryCache } from './documents/document-cache.js';
import type { AppServices } from './app-services.js';
import { loadGuestIdentity } from './identity/guest-identity.js';
import { NotificationFeed } from './notifications/notification-feed.js';
import { NotificationsApi } from './notifications/notifications-api.js';
import { registerServiceWorker } from './offline/register-service-worker.js';
import { AuthSession, documentTokenOrGuest } from './session/auth-session.js';
import { guestSyncToken } from './session/sync-token.js';
import { syncOriginOf } from './sync/document-session.js';
import { ThemeContext } from './theme/ThemeToggle.js';
import { ThemePreference } from './theme/theme-preference.js';
import './theme/theme.css';
import './styles.css';
import './layout/responsive.css';

// Before the first render: the page never flashes the other theme.
const theme = new ThemePreference(window.localStorage, document.documentElement);
const session = new AuthSession(window.localStorage);
const services: AppServices = {
  user: loadGuestIdentity(window.sessionStorage),
  session,
  syncToken: documentTokenOrGuest(session, guestSyncToken),
  syncOrigin: syncOriginOf(window.location),
  durableStorage: window.localStorage,
  documentCache: new DocumentSummaryCache(window.localStorage),
  notifications: new NotificationFeed(new NotificationsApi(() => session.accessToken()), session),
};

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <ThemeContext value={theme}>
      <App services={services} />
    </ThemeContext>
  </StrictMode>,
);
registerServiceWorker();
