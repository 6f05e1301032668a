import { startContentScript } from '../content/main';

/**
 * Declared in the manifest for the demo hosts (no permission prompt for the demo and the
 * end-to-end tests); a hospital build declares the hospital's EMR origins instead (deploy/).
 * The same bundle is registered at run time for the EMR origins enabled in the options page
 * (extension/background/hosts.ts). Every frame: frames from other origins read their own share
 * of the adapter and the background merges them; only the top frame shows the sidebar.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*', 'http://*.localhost/*'],
  allFrames: true,
  runAt: 'document_idle',
  main(ctx) {
    const controller = new AbortController();
    ctx.onInvalidated(() => controller.abort());
    startContentScript(controller.signal);
  },
});
