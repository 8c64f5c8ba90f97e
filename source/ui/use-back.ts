import { useInput } from 'ink';

/** Esc goes back a step; only the active step listens. */
export function useBack(onBack: () => void, isActive: boolean): void {
  useInput(
    (_input, key) => {
      if (key.escape) onBack();
    },
    { isActive },
  );
}
