import type { BuildOptions } from 'esbuild';

/** The esbuild options every Ink bundle here uses (see esbuild-ink.mjs). */
export declare const inkOptions: BuildOptions & { plugins: NonNullable<BuildOptions['plugins']> };
