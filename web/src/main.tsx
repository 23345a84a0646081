import { render } from 'solid-js/web';
import { App } from './app/App.tsx';
import './app/base.css';
import { warmUpWebRtc } from './media/index.ts';

const root = document.getElementById('root');
if (root) render(() => <App />, root);

// As the app opens, long before anyone taps Listen: a listener's first peer connection then
// starts warm instead of waiting through Chromium's first-connection setup.
void warmUpWebRtc();
