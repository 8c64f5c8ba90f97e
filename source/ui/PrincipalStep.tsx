/** Whose permissions? The caller, the principal given with --principal, or another ARN typed in. */
import { Box, Text, useInput } from 'ink';
import { useCallback, useMemo, useState } from 'react';
import type { Lookup, PrincipalAnswer } from '../wizard/state.js';
import { ChoiceList } from './ChoiceList.js';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';
import { PRINCIPAL_ARN } from '../wizard/principal.js';
import { TextField } from './TextField.js';

export interface PrincipalStepProps {
  current?: PrincipalAnswer | undefined;
  caller: Lookup<string>;
  /** Incident Manager: the principal is the identity that creates the response plan. */
  forIncidentManager: boolean;
  position: string;
  isActive: boolean;
  onChoose(principal: PrincipalAnswer): void;
  onBack(): void;
}

export function PrincipalStep({ current, caller, forIncidentManager, position, isActive, onChoose, onBack }: PrincipalStepProps) {
  const { width } = useScreen();
  const [typing, setTyping] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const edited = () => setProblem(undefined);
  const callerText =
    caller.state === 'loading' ? 'looking it up...' : caller.result.available ? caller.result.value : `unknown: ${caller.result.reason}`;
  const options = useMemo(() => {
    // Wrapped here, so that an ARN is never cut and a second line lines up under the first.
    const fit = (text: string) => wrap(text, width - 4, '  ').join('\n');
    const list = [
      { value: 'caller', label: fit(`The caller (these credentials): ${callerText}`) },
      { value: 'other', label: 'Another IAM user or role: type its ARN' },
    ];
    // A principal given before (--principal, or typed on an earlier pass) comes first: Enter keeps it.
    if (current?.kind === 'arn') list.unshift({ value: 'given', label: fit(current.arn) });
    return list;
  }, [current, callerText, width]);

  useInput(
    (_input, key) => {
      if (!key.escape) return;
      if (typing) {
        setTyping(false);
        setProblem(undefined);
      } else onBack();
    },
    { isActive },
  );

  const choose = (value: string) => {
    if (value === 'given' && current?.kind === 'arn') onChoose(current);
    else if (value === 'caller') onChoose({ kind: 'caller' });
    else setTyping(true);
  };
  const submit = (text: string) => {
    const arn = text.trim();
    if (!PRINCIPAL_ARN.test(arn)) {
      setProblem('That is not an IAM or STS ARN, such as arn:aws:iam::123456789012:role/ResponsePlanCreator.');
      return;
    }
    onChoose({ kind: 'arn', arn });
  };

  const question = forIncidentManager ? 'Whose permissions? (who creates the response plan)' : 'Whose permissions?';
  if (typing) {
    return (
      <StepFrame title={question} position={position} hints={[['type', 'the ARN'], ['Enter', 'confirm'], ['Esc', 'back to the list'], QUIT]}>
        <Box>
          <Text>ARN: </Text>
          <TextField isDisabled={!isActive} onSubmit={submit} onChange={edited} />
        </Box>
        {problem ? <Text color="red">{problem}</Text> : <Text dimColor>An IAM user or role ARN; an assumed-role session ARN means its role.</Text>}
      </StepFrame>
    );
  }
  return (
    <StepFrame title={question} position={position} hints={[['↑↓', 'move'], ['Enter', 'choose'], BACK, QUIT]}>
      <ChoiceList options={options} isActive={isActive} onChoose={choose} />
    </StepFrame>
  );
}
