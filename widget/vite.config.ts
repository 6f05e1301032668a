import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, '..');

/** Library build of the widget: ESM for bundlers, IIFE (`window.HurenWidget`) for a plain <script>. */
export default defineConfig({
  root,
  plugins: [react()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: resolve(root, 'dist/widget'),
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: resolve(root, 'widget/index.ts'),
      name: 'HurenWidget',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'huren-widget.mjs' : 'huren-widget.js'),
    },
  },
});
