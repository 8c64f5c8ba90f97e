/**
 * The build's changes to Ink's dependencies (scripts/esbuild-ink.mjs), checked on a real bundle against
 * the unbundled packages: string-width's and ansi-tokenize's fast paths answer exactly as the libraries
 * do, on the text they take and on the text they pass on; slice-ansi still slices; yoga's WebAssembly
 * loads without fetch() and lays out; and the React facade is React.
 */
import { tokenize as realTokenize } from '@alcalzone/ansi-tokenize';
import { build } from 'esbuild';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as RealReact from 'react';
import realSliceAnsi from 'slice-ansi';
import realStringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inkOptions } from '../../scripts/esbuild-ink.mjs';

const ENTRY = `
import stringWidth from 'string-width';
import sliceAnsi from 'slice-ansi';
import { tokenize } from '@alcalzone/ansi-tokenize';
import Yoga from 'yoga-layout';
import React, { useState } from 'react';
import { jsx } from 'react/jsx-runtime';
export { stringWidth, sliceAnsi, tokenize, Yoga, React, useState, jsx };
`;

interface Bundle {
  stringWidth: typeof realStringWidth;
  sliceAnsi: typeof realSliceAnsi;
  tokenize: typeof realTokenize;
  Yoga: typeof import('yoga-layout').default;
  React: typeof RealReact;
  useState: unknown;
  jsx: (type: string, props: object) => { type: string };
}

let dir: string;
let bundle: Bundle;
let code: string;
let fetched: ReturnType<typeof vi.fn>;
beforeAll(async () => {
  // Inside the project, so that the bundle's own imports resolve as dist/'s do.
  await mkdir(path.resolve('.tmp'), { recursive: true });
  dir = await mkdtemp(path.resolve('.tmp', 'ink-bundle-'));
  const out = await build({
    ...inkOptions,
    stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'js' },
    write: false,
    outdir: dir,
    logLevel: 'silent',
  });
  code = out.outputFiles[0]!.text;
  const file = path.join(dir, 'bundle.mjs');
  await writeFile(file, code);
  // yoga compiles its WebAssembly as the bundle loads: fetch() must not be how it gets there.
  const { fetch } = globalThis;
  fetched = vi.fn(() => Promise.reject(new Error('fetch called')));
  globalThis.fetch = fetched as unknown as typeof fetch;
  try {
    bundle = (await import(pathToFileURL(file).href)) as Bundle;
  } finally {
    globalThis.fetch = fetch;
  }
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const TEXT = [
  '',
  'plain',
  '❯ Which error do you see?',
  '\x1b[36m❯\x1b[39m \x1b[1mbold\x1b[22m',
  '↑↓ move · Enter choose',
  '秘密の値',
  '👍🏽 ok',
  'e\u0301',
  'a\tb',
  '\r\n',
  '\x1b]8;;https://example.com\x07link\x1b]8;;\x07',
];

describe('the Ink bundle', () => {
  it('string-width gives what string-width gives, with and without its options', () => {
    for (const text of TEXT) {
      for (const options of [undefined, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }]) {
        expect([text, options, bundle.stringWidth(text, options)]).toEqual([text, options, realStringWidth(text, options)]);
      }
    }
  });

  it('ansi-tokenize gives the same tokens', () => {
    for (const text of TEXT) expect(bundle.tokenize(text)).toEqual(realTokenize(text));
  });

  it('slice-ansi, loaded on first use, slices as before', () => {
    for (const text of TEXT) expect(bundle.sliceAnsi(text, 1, 5)).toBe(realSliceAnsi(text, 1, 5));
  });

  it('yoga lays out with its WebAssembly compiled in place, not fetched', () => {
    expect(fetched).not.toHaveBeenCalled();
    const node = bundle.Yoga.Node.create();
    node.setWidth(42);
    node.setHeight(7);
    node.calculateLayout(undefined, undefined);
    expect([node.getComputedWidth(), node.getComputedHeight()]).toEqual([42, 7]);
    node.free();
  });

  it('React comes through one facade, whole', () => {
    expect(bundle.React.version).toBe(RealReact.version);
    expect(bundle.useState).toBe(bundle.React.useState);
    expect(bundle.jsx('box', {}).type).toBe('box');
    expect(code.match(/__toESM\(require_react\(\)/g) ?? []).toHaveLength(1);
  });
});
