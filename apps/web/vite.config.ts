import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console: built into apps/web/dist (served by the API at `/`), hashed assets under
 * /assets/. `npm run dev:web` serves it with Vite, sending /v1 to a running API.
 * JSX goes through Vite's own transform (no React plugin, so no Fast Refresh).
 */
export default defineConfig(({ command }) => ({
  root,
  base: '/',
  // A build is React's production build whatever NODE_ENV the caller has (jest's is `test`):
  // production JSX and React's production code; the dev server gets the development ones.
  oxc: { jsx: { runtime: 'automatic', development: command === 'serve' } },
  define: { 'process.env.NODE_ENV': JSON.stringify(command === 'build' ? 'production' : 'development') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Every asset a file under /assets/, none inlined into the script.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // React libraries mark modules "use client" for server components, which this app has none of.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/v1': { target: process.env.FIREBREAK_API ?? 'http://127.0.0.1:3000' },
    },
  },
}));
