// `npm run bench`: bundles bench/bench.ts with esbuild (the IAM engine stays external, as in dist/) and runs it.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';

await mkdir(new URL('../.tmp', import.meta.url), { recursive: true });
const outfile = new URL('../.tmp/bench.mjs', import.meta.url).pathname;
await build({
  entryPoints: ['bench/bench.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  external: ['@cloud-copilot/*'],
  banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
await import(outfile);
