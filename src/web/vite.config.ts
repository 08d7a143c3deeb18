import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard and the customer pages: one single-page app, served by the service itself from
 * dist/web (src/api/web.ts). `npm run build:web` builds it; `npm install` and `npm start` build it
 * when it is missing.
 */
const DASHBOARD_ROOT = fileURLToPath(new URL('.', import.meta.url));
// The same folder as DASHBOARD_DIR in build-dashboard.ts, which the server reads.
const DASHBOARD_OUT_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

export default defineConfig({
  root: DASHBOARD_ROOT,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: DASHBOARD_OUT_DIR,
    emptyOutDir: true,
    // Browsers from the last few years; the service is self-hosted and its users are merchants at a desk or customers on a phone.
    target: 'es2022',
    sourcemap: true,
  },
});
