/**
 * Whose permissions? The given principal, the caller, and the account's roles and users, filtered as you
 * type; a typed IAM or STS ARN can be used as it is. A role or user of the caller's account that the
 * complete list does not have is said not to exist under the field at once, and takes a second Enter.
 */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import type { PrincipalListing } from '../facts/discovery.js';
import type { Lookup, PrincipalAnswer } from '../wizard/state.js';
import { ChoiceList } from './ChoiceList.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { TextField } from './TextField.js';
import { truncate, wrap } from '../report/layout.js';
import { useScreen } from './context.js';
import { useBack } from './use-back.js';
import { visible } from '../visible.js';
import { listingLines, NOT_AN_ARN, PRINCIPAL_ARN, principalChoices, principalVerdict } from '../wizard/principal.js';

export interface PrincipalStepProps {
  current?: PrincipalAnswer | undefined;
  caller: Lookup<string>;
  principals: Lookup<PrincipalListing>;
  /** Incident Manager: the principal is the identity that creates the response plan. */
  forIncidentManager: boolean;
  position: string;
  isActive: boolean;
  onChoose(principal: PrincipalAnswer): void;
  onBack(): void;
}

export function PrincipalStep({ current, caller, principals, forIncidentManager, position, isActive, onChoose, onBack }: PrincipalStepProps) {
  const { width, height } = useScreen();
  const [term, setTerm] = useState('');
  /** A typed ARN said not to exist, after its first Enter: the next Enter uses it (any other text is not armed). */
  const [armed, setArmed] = useState<string | undefined>();
  const callerArn = caller.state === 'done' && caller.result.available ? caller.result.value : undefined;
  const callerText = caller.state === 'loading' ? 'looking it up...' : caller.result.available ? caller.result.value : `unknown: ${caller.result.reason}`;
  const listing = principals.state === 'done' && principals.result.available ? principals.result.value : undefined;
  const choices = useMemo(
    () => principalChoices(term, { listing, caller: { arn: callerArn, text: callerText }, current }),
    [term, listing, callerArn, callerText, current],
  );
  const typed = term.trim();
  // What is said of the typed ARN, or else of the given one.
  const subject = PRINCIPAL_ARN.test(typed) ? typed : term === '' && current?.kind === 'arn' ? current.arn : undefined;
  const verdict = useMemo(() => (subject ? principalVerdict(subject, principals, callerArn) : undefined), [subject, principals, callerArn]);
  const mustConfirm = subject === typed && verdict?.kind === 'missing';
  const options = useMemo(() => {
    // Wrapped here, so that an ARN is never cut and a second line lines up under the first.
    const wrapLabel = (text: string) => wrap(text, width - 4, '  ').join('\n');
    return choices.map((c) => ({
      value: c.value,
      label: wrapLabel(c.typed && mustConfirm ? `${c.label}${armed === typed ? ' anyway: Enter' : ''}` : c.label),
    }));
  }, [choices, width, mustConfirm, armed, typed]);

  useBack(onBack, isActive);
  const choose = (value: string) => {
    const choice = choices.find((c) => c.value === value);
    if (!choice) return;
    if (choice.typed && mustConfirm && armed !== typed) return setArmed(typed);
    onChoose(choice.answer);
  };

  const question = forIncidentManager ? 'Whose permissions? (who creates the response plan)' : 'Whose permissions?';
  const listed = choices.filter((c) => c.value.startsWith('role:') || c.value.startsWith('user:')).length;
  const hints: Hint[] = [['type', 'to filter, or an ARN'], ['↑↓', 'move'], ['Enter', 'choose'], BACK, QUIT];
  // Below the frame: the input line, the verdict, the gaps around the list, and the lines under it (two at most).
  const rows = Math.max(3, Math.min(10, height - 1 - frameRows(question, position, hints, width) - 1 - (verdict || typed.startsWith('arn:') ? 2 : 0) - 2 - 2));
  return (
    <StepFrame title={question} position={position} hints={hints}>
      <Box>
        <Text>Principal: </Text>
        <TextField isDisabled={!isActive} onChange={setTerm} placeholder="a name to filter, or an IAM or STS ARN" />
      </Box>
      {verdict?.kind === 'missing' ? (
        <Text color="red" wrap="wrap">
          {`${verdict.text}${mustConfirm ? (armed === typed ? ' Enter again to use it anyway.' : ' Enter twice to use it anyway.') : ''}`}
        </Text>
      ) : verdict?.kind === 'note' ? (
        <Text dimColor wrap="wrap">
          {verdict.text}
        </Text>
      ) : typed.startsWith('arn:') && !PRINCIPAL_ARN.test(typed) ? (
        <Text color="yellow">{NOT_AN_ARN}</Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {options.length ? (
          <ChoiceList options={options} rows={rows} highlight={typed || undefined} isActive={isActive} onChoose={choose} />
        ) : (
          <Text dimColor>Nothing matches: type an IAM or STS ARN.</Text>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {principals.state === 'loading' ? (
          <Spinner label="Listing the roles and users of the account..." />
        ) : principals.result.available ? (
          listingLines(principals.result.value, listed).map((line) => (
            <Text key={line} dimColor>
              {truncate(line, width)}
            </Text>
          ))
        ) : (
          <Text dimColor wrap="wrap">{`The roles and users are not available (${visible(principals.result.reason)}): type an ARN.`}</Text>
        )}
      </Box>
    </StepFrame>
  );
}
