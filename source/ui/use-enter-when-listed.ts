import { useEffect, useRef, useState } from 'react';

/**
 * Enter on "use the text exactly as typed" while the list a step filters is still loading (issue 14,
 * item 4). That option is then the only one there is, and Enter used to diagnose half a name. An
 * experienced user who types `prod/pay` and Enter before the list is in means what Enter would have meant
 * with the list on screen: the first match (an exact match comes first), or the text as typed when
 * nothing matches or the list cannot be had. So that Enter waits (`wait()`) for the list and then
 * chooses; typing (or deleting) before it arrives cancels the wait, since the Enter was for the text as it
 * was (the step calls `cancel()` on every edit); Esc still goes back. An option the list has already shown
 * is chosen at once, as before.
 */
export function useEnterWhenListed(loading: boolean, isActive: boolean, choose: () => void): { waiting: boolean; wait(): void; cancel(): void } {
  const [waiting, setWaiting] = useState(false);
  const chooseNow = useRef(choose);
  chooseNow.current = choose;
  useEffect(() => {
    if (!waiting || loading || !isActive) return;
    setWaiting(false);
    chooseNow.current();
  }, [waiting, loading, isActive]);
  return { waiting: waiting && loading, wait: () => setWaiting(true), cancel: () => setWaiting(false) };
}
