import { startContentScript } from '../content/main';

/**
 * Declared in the manifest for the demo hosts only (no permission prompt for the demo and the
 * end-to-end tests). The same bundle is registered at run time for the EMR origins a hospital
 * enables in the options page (extension/background/hosts.ts); top frame only, frames are read
 * through the adapter's frame paths.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  main(ctx) {
    const controller = new AbortController();
    ctx.onInvalidated(() => controller.abort());
    startContentScript(controller.signal);
  },
});
