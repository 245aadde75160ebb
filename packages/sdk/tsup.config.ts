import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'validate-worker': 'src/validate-worker.ts', 'validate-xsd-worker': 'src/validate/xsd-worker.ts', validate: 'src/validate/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
