import { defineConfig } from 'vitest/config';

// The browser tests: the built app (scripts/web.sh test builds it into app/dist) served by vite preview, driven in
// headless Chromium (playwright-core + Debian's chromium), against the node and custodian of HEALTHCHAIN_WEB_*.
export default defineConfig({
  test: {
    include: ['app/test/**/*.browser.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
