/**
 * The build patches Ink's dependencies for start-up speed (scripts/esbuild-ink.mjs). They must change
 * nothing a person sees: an unpatched build (SD_INK_PATCHES=off) and the shipped one write the same bytes
 * to a terminal, through the wizard's first screen and a key press, at 40 and 100 columns. The versions the
 * patches were written for are pinned (package.json "overrides") and checked by the build.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCHED_VERSIONS } from '../../scripts/esbuild-ink.mjs';
import { motoEnv } from '../helpers/moto.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const unpatched = path.join('.tmp', `dist-unpatched-${process.pid}`);
const screens = path.join(root, 'test', 'helpers', 'pty-screens.py');

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, env: { ...process.env, SD_INK_PATCHES: 'off', SD_DIST_DIR: unpatched }, stdio: 'pipe' });
}, 120_000);
afterAll(() => rmSync(path.join(root, unpatched), { recursive: true, force: true }));

/** What the wizard writes to a terminal: its first screen, one ↓, then Ctrl-C. */
function record(dist: string, cols: number): Buffer {
  const steps = [
    ['quit', '\u001b[B'],
    ['quit', '\u0003'],
  ];
  const env = { ...motoEnv(), TERM: 'xterm-256color', COLUMNS: undefined } as NodeJS.ProcessEnv;
  delete env.COLUMNS;
  const out = spawnSync('python3', [screens, String(cols), '24', JSON.stringify(steps), process.execPath, path.join(root, dist, 'cli.cjs')], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(out.status, out.stderr).toBe(0);
  return Buffer.from(out.stdout.trim(), 'base64');
}

describe("the build's patches to Ink's dependencies", () => {
  it.each([40, 100])('change no byte of what the wizard writes at %i columns', (cols) => {
    const shipped = record('dist', cols);
    const plain = record(unpatched, cols);
    expect(shipped.toString('utf8')).toContain('Which error do you see?');
    expect(shipped.equals(plain)).toBe(true);
  });

  it('are pinned to the versions they were written for', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { overrides: Record<string, unknown> };
    expect(pkg.overrides['yoga-layout']).toBe(PATCHED_VERSIONS['yoga-layout'][0]);
    expect(pkg.overrides['slice-ansi']).toBe(PATCHED_VERSIONS['slice-ansi'][0]);
    expect(pkg.overrides['@alcalzone/ansi-tokenize']).toBe(PATCHED_VERSIONS['@alcalzone/ansi-tokenize'][0]);
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    for (const [name, versions] of Object.entries(PATCHED_VERSIONS)) {
      const installed = Object.entries(lock.packages)
        .filter(([where]) => where.endsWith(`node_modules/${name}`))
        .map(([, p]) => p.version);
      expect(installed.length).toBeGreaterThan(0);
      for (const v of installed) expect(versions).toContain(v);
    }
  });
});
