/** Replaced at build time with package.json's version; read from it when running from source. */
declare const __VERSION__: string | undefined;
export const version: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';
