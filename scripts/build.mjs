// Bundles the CLI into dist/, minified, in three parts (the start-up figures are in the README):
// - dist/cli.cjs, the launcher: cli.tsx and the flag parser in one CommonJS file with no imports, so that
//   --version and --help start as fast as Node can (an ES module entry costs Node 5-7 ms more);
// - dist/wizard/, the Ink wizard and everything it loads later, bundled on its own: its first screen then
//   needs 3 files rather than 16 (the chunks it would share with the commands), about 8 ms sooner;
// - dist/app/ (the commands and --plain) and dist/demo.js, sharing dist/chunks/.
// Each lazy import() stays lazy (code splitting). The two code-split parts hold their own copies of the
// engine: a process runs one of them, never both. The IAM engine (@cloud-copilot/*, AGPL-3.0-or-later)
// stays an ordinary runtime dependency outside the bundle; it also reads JSON data files next to itself.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { inkOptions } from './esbuild-ink.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// SD_DIST_DIR builds elsewhere than dist/ (test/unit/ink-patches.test.ts builds an unpatched copy).
const out = process.env.SD_DIST_DIR ?? 'dist';
await rm(new URL(`../${out}`, import.meta.url), { recursive: true, force: true });
const common = {
  minify: !process.env.SD_NO_MINIFY,
  legalComments: 'none',
  external: ['@cloud-copilot/*'],
  define: { ...inkOptions.define, __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

/** The launcher's lazy imports, `./source/X.js`, each the entry point dist/app/X.js (the wizard's: dist/wizard/run.js). */
const lazy = new Map();
const WIZARD = 'ui/run';
await build({
  ...common,
  entryPoints: ['cli.tsx'],
  outfile: `${out}/cli.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [
    {
      name: 'lazy-entries',
      setup(b) {
        b.onResolve({ filter: /^\.\/source\/.*\.js$/ }, async (args) => {
          if (args.kind !== 'dynamic-import' || args.pluginData) return undefined;
          const file = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: true });
          if (file.errors.length) return { errors: file.errors };
          const name = args.path.slice('./source/'.length, -'.js'.length);
          lazy.set(name, file.path);
          return { path: name === WIZARD ? './wizard/run.js' : `./app/${name}.js`, external: true };
        });
      },
    },
  ],
});

const split = { ...inkOptions, ...common, splitting: true, chunkNames: 'chunks/[name]-[hash]' };
const commands = [...lazy].filter(([name]) => name !== WIZARD).map(([name, file]) => [`app/${name}`, file]);
await build({ ...split, entryPoints: { ...Object.fromEntries(commands), demo: 'source/demo/main.ts' }, outdir: out });
await build({ ...split, entryPoints: { run: lazy.get(WIZARD) }, outdir: `${out}/wizard` });
