import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: ['./src/test/setup.ts'],
      restoreMocks: true,
      // The wizard tests take seconds of simulated typing: leave room on a busy 2-core machine.
      testTimeout: 20_000,
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/unit.json' },
    },
  }),
);
