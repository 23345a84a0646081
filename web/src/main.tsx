import { render } from 'solid-js/web';
import { App, preloadSpacePage } from './app/App.tsx';
import './app/base.css';
import { warmUpWebRtc } from './media/index.ts';

const root = document.getElementById('root');
if (root) render(() => <App />, root);

// As the app opens, long before anyone taps Listen: a listener's first peer connection then
// starts warm instead of waiting through Chromium's first-connection setup.
void warmUpWebRtc();
// Once the first page has drawn: opening a space is what the app is for.
if ('requestIdleCallback' in window) requestIdleCallback(preloadSpacePage, { timeout: 2_000 });
else setTimeout(preloadSpacePage, 500);
