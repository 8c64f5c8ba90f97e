// `npm run bench`: bundles bench/bench.ts with esbuild (the IAM engine stays external, as in dist/) and runs it.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { inkOptions } from '../scripts/esbuild-ink.mjs';

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
// The reference for the wizard's first frame: an Ink hello world, bundled the same way as dist/.
await build({
  ...inkOptions,
  stdin: {
    contents: "import React from 'react'; import {render, Text} from 'ink'; render(React.createElement(Text, null, 'Which error do you see'));",
    resolveDir: process.cwd(),
    loader: 'js',
  },
  outfile: new URL('../.tmp/ink-hello.mjs', import.meta.url).pathname,
  minify: true,
  logLevel: 'warning',
});
await import(outfile);
