import { createApp } from 'vue';
import App from './App.vue';
import { createLabRouter } from './router';
import { reportError } from './stores/toasts';
import './style.css';

const app = createApp(App);
const router = createLabRouter();

// Nothing a view does may take the window down: every uncaught error becomes a toast.
app.config.errorHandler = (err, _instance, info) => {
  console.error(err);
  reportError(`Unexpected error (${info})`, err);
};
router.onError((err) => reportError('Navigation failed', err));
window.addEventListener('unhandledrejection', (e) => reportError('Unhandled error', e.reason));
window.addEventListener('error', (e) => {
  // Chromium reports a benign ResizeObserver notice as an error event; it is not a failure
  if (/ResizeObserver loop/.test(e.message)) return;
  reportError('Unexpected error', e.error ?? e.message);
});

app.use(router);
// Mount once the first route is resolved: its guards run first (History's asks for the run list
// while the shell mounts, not after), and the shell never shows an empty main area. A failed
// first navigation is reported (router.onError) and the shell still mounts.
void router
  .isReady()
  .catch(() => undefined)
  .finally(() => app.mount('#app'));
