import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';

/**
 * Enter pressed while the list a step filters is still loading (issue 14, item 4). Before, Enter took the
 * only option there was, "use the text exactly as typed", and diagnosed half a name. An experienced user
 * who types `prod/pay` and Enter means what Enter would have meant with the list on screen: the first
 * match (an exact match comes first), or the text as typed when nothing matches or the list cannot be
 * had. So Enter waits for the list and then chooses; typing (or deleting) before it arrives cancels the
 * wait, since the Enter was for the text as it was; Esc still goes back. Enter on an empty field waits for
 * nothing: there is nothing to choose yet.
 * The step disables its list while `loading` (the list ignores Enter), and calls `cancel` on every edit.
 */
export function useEnterWhenListed(loading: boolean, term: string, isActive: boolean, choose: () => void): { waiting: boolean; cancel(): void } {
  const [waiting, setWaiting] = useState(false);
  const chooseNow = useRef(choose);
  chooseNow.current = choose;
  useInput(
    (_input, key) => {
      if (key.return && term !== '') setWaiting(true);
    },
    { isActive: isActive && loading },
  );
  useEffect(() => {
    if (!waiting || loading || !isActive) return;
    setWaiting(false);
    chooseNow.current();
  }, [waiting, loading, isActive]);
  return { waiting: waiting && loading, cancel: () => setWaiting(false) };
}
