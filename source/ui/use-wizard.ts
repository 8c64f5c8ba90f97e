/**
 * The Ink wizard's view of the runner (wizard/runner.ts): one runner per mounted App, started on mount and
 * stopped on unmount (late answers from AWS are dropped then); the state re-renders the tree on every change.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Inputs } from '../types.js';
import { WizardRunner, type Outside } from '../wizard/runner.js';
import type { WizardServices } from '../wizard/services.js';
import type { Presets, WizardState } from '../wizard/state.js';

export function useWizard(
  services: WizardServices,
  presets: Presets,
  base: Omit<Inputs, 'symptom'>,
  outside?: Outside,
): { runner: WizardRunner; state: WizardState } {
  // The runner is made once: the props are the command line's, fixed for the wizard's life.
  const [runner] = useState(() => new WizardRunner(services, presets, base, outside));
  useEffect(() => {
    runner.start();
    return () => runner.stop();
  }, [runner]);
  const state = useSyncExternalStore(runner.subscribe, runner.getState);
  return { runner, state };
}
