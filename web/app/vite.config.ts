import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The custodian's HTTP API has no CORS headers: the app reaches it through its own origin, /custodian -> the
// custodian (HEALTHCHAIN_CUSTODIAN, default http://127.0.0.1:8420). In production the data holder's reverse proxy
// does the same.
const custodian = process.env.HEALTHCHAIN_CUSTODIAN ?? 'http://127.0.0.1:8420';
const proxy = { '/custodian': { target: custodian, changeOrigin: true, rewrite: (p: string) => p.replace(/^\/custodian/, '') } };

export default defineConfig(({ mode }) => ({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  // The development wallet (dev accounts, public keys) exists only in builds of mode "development" or "demo".
  define: { __DEV_WALLET__: JSON.stringify(mode === 'development' || mode === 'demo') },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { proxy },
  preview: { proxy },
}));
