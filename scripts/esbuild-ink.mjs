// esbuild settings for bundling Ink for Node, shared by the build (scripts/build.mjs), the benchmark's Ink
// hello world (bench/run.mjs), so that the two are measured alike, and test/unit/ink-bundle.test.ts. The
// plugins take start-up costs out of Ink's dependencies without changing what they compute.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const narrowWidthModule = fileURLToPath(new URL('../source/report/narrow-width.ts', import.meta.url));

/**
 * The exact versions the patches below were written for (package.json pins them with "overrides"). The
 * build fails on any other version, as it does when a patched file changes shape: a patch is re-read, and
 * re-checked by test/unit/ink-patches.test.ts, before it is trusted on new code.
 */
export const PATCHED_VERSIONS = {
  'yoga-layout': ['3.2.1'],
  'string-width': ['7.2.0', '8.3.0'],
  'slice-ansi': ['8.0.0'],
  '@alcalzone/ansi-tokenize': ['0.2.5'],
};

/** SD_INK_PATCHES=off builds without the patches to Ink's dependencies (to compare, or to rule them out). */
export const PATCHES_ON = process.env.SD_INK_PATCHES !== 'off';

/** The version of package `name` that `file` belongs to. */
async function versionOf(file, name) {
  let dir = dirname(file);
  for (;;) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch {
      // No package.json here: look further up.
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

async function checkVersion(file, name) {
  const version = await versionOf(file, name);
  if (!PATCHED_VERSIONS[name].includes(version)) {
    throw new Error(
      `${name} ${version} is not a version the build's patch was written for (${PATCHED_VERSIONS[name].join(', ')}): re-check the patch in scripts/esbuild-ink.mjs, then update PATCHED_VERSIONS and the overrides in package.json`,
    );
  }
}

/** Ink imports React's devtools only when DEV is set; a stub keeps the package out of the bundle. */
const devtoolsStub = {
  name: 'react-devtools-stub',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'devtools-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'devtools-stub' }, () => ({
      contents: 'export default {connectToDevTools(){}};export function connectToDevTools(){}',
      loader: 'js',
    }));
  },
};

/**
 * yoga-layout (Ink's layout engine) carries its WebAssembly as a base64 data URL and, on Node, loads it with
 * fetch(): that pulls in Node's whole fetch implementation and decodes the URL in JavaScript, about 25 ms
 * before the wizard's first frame. Emscripten's own `instantiateWasm` hook compiles the same bytes
 * synchronously instead. The build fails if the file no longer has the shape this relies on.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      await checkVersion(args.path, 'yoga-layout');
      const source = await readFile(args.path, 'utf8');
      const hook = 'loadYoga = loadYoga || {};';
      const prefix = 'H="data:application/octet-stream;base64,';
      if (!source.includes(hook) || !source.includes(prefix)) {
        throw new Error(`yoga-layout changed shape (${args.path}): update yogaWithoutFetch in scripts/esbuild-ink.mjs`);
      }
      const instantiate =
        'loadYoga = loadYoga || { instantiateWasm(imports, receive) {' +
        ` const bytes = Buffer.from(H.slice(${prefix.length - 3}), 'base64');` +
        ' const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);' +
        ' receive(instance); return instance.exports; } };';
      return { contents: source.replace(hook, instantiate), loader: 'js' };
    });
  },
};

/**
 * Wraps each copy of package `pkg` in the bundle so that it is evaluated on the first call of its default
 * export (esbuild runs a require()d module lazily), after `fastPath`, which may answer first from `args`.
 */
function lazyDefault(pkg, { imports = [], fastPath = [] } = {}) {
  const namespace = `lazy-${pkg}`;
  return {
    name: namespace,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${pkg}$`) }, async (args) => {
        if (args.pluginData === namespace) return undefined;
        const real = await b.resolve(pkg, { kind: args.kind, resolveDir: args.resolveDir, pluginData: namespace });
        if (real.errors.length) return { errors: real.errors };
        return { path: real.path, namespace };
      });
      b.onLoad({ filter: /.*/, namespace }, async (args) => {
        await checkVersion(args.path, pkg);
        return {
          resolveDir: dirname(args.path),
          loader: 'js',
          contents: [
            ...imports,
            'let real;',
            'export default function lazy(...args) {',
            ...fastPath,
            `  real ??= require(${JSON.stringify(args.path)}).default;`,
            '  return real(...args);',
            '}',
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * string-width answers through source/report/narrow-width.ts first, which knows the width of plain ASCII and
 * the wizard's own symbols without string-width's Unicode tables: building them when the module loads
 * costs about 15 ms, and their first use 30 ms more. Styled text is measured without its escapes, as
 * string-width does; anything else goes to string-width itself.
 */
const stringWidth = lazyDefault('string-width', {
  imports: ["import stripAnsi from 'strip-ansi';", `import { narrowWidth } from ${JSON.stringify(narrowWidthModule)};`],
  fastPath: [
    '  const [text, options = {}] = args;',
    "  if (typeof text === 'string' && options.ambiguousIsNarrow !== false) {",
    "    const plain = !options.countAnsiEscapeCodes && (text.includes('\\u001B') || text.includes('\\u009B')) ? stripAnsi(text) : text;",
    '    const known = narrowWidth(plain);',
    '    if (known !== undefined) return known;',
    '  }',
  ],
});

/**
 * slice-ansi builds a grapheme segmenter when it loads; Ink needs it only to clip text that overflows,
 * which the first frame does not.
 */
const sliceAnsi = lazyDefault('slice-ansi');

/**
 * Ink draws every line through @alcalzone/ansi-tokenize, which splits it into graphemes with an
 * Intl.Segmenter built when it loads (ICU's break data: about 10 ms). Its segmenter answers through
 * source/report/narrow-width.ts first, and is built on first need; the build fails if the file changes shape.
 */
const ansiTokenizeSegmenter = {
  name: 'ansi-tokenize-segmenter',
  setup(b) {
    b.onLoad({ filter: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/ }, async (args) => {
      await checkVersion(args.path, '@alcalzone/ansi-tokenize');
      const source = await readFile(args.path, 'utf8');
      const eager = 'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });';
      if (!source.includes(eager) || source.split('segmenter.').length !== 2) {
        throw new Error(`@alcalzone/ansi-tokenize changed shape (${args.path}): update ansiTokenizeSegmenter in scripts/esbuild-ink.mjs`);
      }
      const lazy = [
        `import { unitGraphemes } from ${JSON.stringify(narrowWidthModule)};`,
        'let icuSegmenter;',
        'const segmenter = { segment: (text) => unitGraphemes(text) ??',
        '  (icuSegmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(text) };',
      ].join('\n');
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

/**
 * React ships CommonJS only, and esbuild gives each ES module that imports it its own interop copy of
 * React's exports (about a hundred importers in the wizard: ink, @inkjs/ui, every component, every JSX
 * file through react/jsx-runtime). One ES facade per module, imported by all of them, makes one copy.
 */
function esmFacade(specifier) {
  const namespace = `esm-facade:${specifier}`;
  const filter = new RegExp(`^${specifier}$`);
  return {
    name: namespace,
    setup(b) {
      b.onResolve({ filter }, async (args) => {
        if (args.kind !== 'import-statement' || args.pluginData === namespace) return undefined;
        const real = await b.resolve(specifier, { kind: 'require-call', resolveDir: args.resolveDir, pluginData: namespace });
        if (real.errors.length) return { errors: real.errors };
        return { path: real.path, namespace };
      });
      b.onLoad({ filter: /.*/, namespace }, (args) => {
        const names = Object.keys(createRequire(args.path)(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
        return {
          resolveDir: dirname(args.path),
          loader: 'js',
          contents: [`import real from ${JSON.stringify(args.path)};`, 'export default real;', `export const { ${names.join(', ')} } = real;`].join('\n'),
        };
      });
    },
  };
}

/** The options every Ink bundle here uses: ESM for Node 20, production React, `require` for CJS packages. */
export const inkOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [
    devtoolsStub,
    ...(PATCHES_ON ? [yogaWithoutFetch, stringWidth, sliceAnsi, ansiTokenizeSegmenter] : []),
    esmFacade('react'),
    esmFacade('react/jsx-runtime'),
  ],
};
