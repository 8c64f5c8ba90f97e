/** React's scheduler (the copy react-reconciler, and so Ink, runs its work on): the exports key-stream.ts uses. */
declare module 'scheduler' {
  export const unstable_IdlePriority: number;
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown;
  export function unstable_cancelCallback(task: unknown): void;
}
