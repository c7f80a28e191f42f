import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The UI is plain React + ECharts; Vite 8 compiles TSX with its built-in Oxc transform.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: process.env.LTLAB_UI_OUT ?? fileURLToPath(new URL('../ui-dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
