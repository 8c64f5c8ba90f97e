import type { BuildOptions } from 'esbuild';

/** The esbuild options every Ink bundle here uses (see esbuild-ink.mjs). */
export declare const inkOptions: BuildOptions & { plugins: NonNullable<BuildOptions['plugins']> };

/** The exact versions of Ink's dependencies that the build's patches were written for. */
export declare const PATCHED_VERSIONS: Record<'yoga-layout' | 'string-width' | 'slice-ansi' | '@alcalzone/ansi-tokenize', string[]>;

/** False when SD_INK_PATCHES=off: the build leaves Ink's dependencies as they are. */
export declare const PATCHES_ON: boolean;
