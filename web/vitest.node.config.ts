import { defineConfig } from 'vitest/config';

// The tests against a node (scripts/web.sh test starts the node, deploys and sets HEALTHCHAIN_WEB_*).
export default defineConfig({
  test: {
    include: ['client/test/**/*.node.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
