import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['client/test/**/*.test.ts', 'app/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.node.test.ts', '**/*.browser.test.ts'],
  },
});
