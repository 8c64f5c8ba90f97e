// Bundles cli.tsx into dist/ (ESM, code-split so lazy imports stay lazy, minified). The IAM engine
// (@cloud-copilot/*, AGPL-3.0-or-later) stays an ordinary runtime dependency outside the bundle; it also
// reads JSON data files next to itself.
import { build } from 'esbuild';
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await mkdir(new URL('../dist', import.meta.url), { recursive: true });
const stub = new URL('../dist/.devtools-stub.mjs', import.meta.url);
await writeFile(stub, 'export default {connectToDevTools(){}};export function connectToDevTools(){}\n');

await build({
  entryPoints: { cli: 'cli.tsx', demo: 'source/demo/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: process.env.SD_NO_MINIFY ? false : true,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@cloud-copilot/*'],
  alias: { 'react-devtools-core': stub.pathname },
  define: { 'process.env.NODE_ENV': '"production"', __VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
await rm(stub);
