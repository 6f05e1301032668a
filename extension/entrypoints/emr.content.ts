import { startContentScript } from '../content/main';

export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  main(ctx) {
    const controller = new AbortController();
    ctx.onInvalidated(() => controller.abort());
    startContentScript(controller.signal);
  },
});
