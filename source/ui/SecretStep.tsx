/**
 * Which secret? A list of the account's secrets (and, for Incident Manager, those the response plans
 * use) that filters as you type; what is typed can also be used as it is, exactly (a trailing space is
 * itself a finding, so nothing is trimmed).
 */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useEnterWhenListed } from './use-enter-when-listed.js';
import { useMemo, useState } from 'react';
import type { ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import type { SymptomId } from '../types.js';
import type { Lookup } from '../wizard/state.js';
import { ChoiceList } from './ChoiceList.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { truncate, wrap } from '../report/layout.js';
import { manyChoices, secretChoices } from '../wizard/secret-choices.js';
import { useScreen } from './context.js';
import { TextField } from './TextField.js';

export interface SecretStepProps {
  symptom: SymptomId;
  secrets: Lookup<SecretListing>;
  plans: Lookup<ResponsePlanListing>;
  /** The answer so far (from --secret-id or an earlier pass): the filter starts with it. */
  current?: string | undefined;
  position: string;
  isActive: boolean;
  onChoose(secretId: string): void;
  /** "All secrets" (or all that response plans use) was chosen. @default not offered */
  onMany?(source: 'all' | 'plans', secretIds: string[]): void;
  onBack(): void;
}

const TITLE = 'Which secret?';
const HINTS: Hint[] = [['type', 'to filter'], ['↑↓ PgUp PgDn', 'move'], ['Enter', 'choose'], BACK, QUIT];

export function SecretStep({ symptom, secrets, plans, current, position, isActive, onChoose, onMany, onBack }: SecretStepProps) {
  const { width, height } = useScreen();
  const [term, setTerm] = useState(current ?? '');
  const listing = secrets.state === 'done' && secrets.result.available ? secrets.result.value : undefined;
  const planListing = symptom === 'incident-manager-secret' && plans.state === 'done' && plans.result.available ? plans.result.value : undefined;
  const choices = useMemo(() => secretChoices(term, listing, planListing, width), [term, listing, planListing, width]);
  const many = useMemo(() => (onMany ? manyChoices(term, listing, planListing, width) : []), [onMany, term, listing, planListing, width]);
  const options = useMemo(() => [...many, ...choices].map(({ value, label }) => ({ value, label })), [many, choices]);
  // Enter on the text as typed, before the account's list is in, waits for it (use-enter-when-listed.ts).
  const loading = secrets.state === 'loading';
  const enter = useEnterWhenListed(loading, isActive, () => {
    const first = options[0];
    if (first) choose(first.value);
  });
  const choose = (value: string) => {
    const all = many.find((c) => c.value === value);
    if (all) onMany?.(all.source, all.secretIds);
    else if (value === 'typed' && loading) enter.wait();
    else onChoose(choices.find((c) => c.value === value)!.secretId);
  };
  const edited = (value: string) => {
    setTerm(value);
    enter.cancel();
  };
  useBack(onBack, isActive);
  const total = listing?.secrets.length ?? 0;
  const listed = choices.filter((c) => c.value !== 'typed').length;
  const incidentManager = symptom === 'incident-manager-secret';
  // Under the list: what was listed, or why not (wrapped here, so that the list knows the rows left).
  const secretsNote =
    secrets.state === 'loading'
      ? undefined
      : secrets.result.available
        ? [truncate(`${listed} of ${total}${secrets.result.value.truncated ? '+' : ''} secrets in ${secrets.result.value.region} match.`, width)]
        : wrap(`The list of secrets is not available (${secrets.result.reason}): type the name or ARN.`, width);
  const plansNote =
    !incidentManager || plans.state === 'loading'
      ? undefined
      : plans.result.available
        ? [
            truncate(
              plans.result.value.references.length
                ? `Marked "response plan": the secrets your ${plans.result.value.plans} response plan(s) use for PagerDuty.`
                : `No response plan in ${plans.result.value.region} uses a PagerDuty secret.`,
              width,
            ),
          ]
        : wrap(`Secrets that response plans use: not available (${plans.result.reason}).`, width);
  const below = (secretsNote?.length ?? 1) + (incidentManager ? (plansNote?.length ?? 1) : 0);
  // Below the frame: the input line, the gaps above and below the list, and the lines under it.
  const rows = Math.min(10, height - 1 - frameRows(TITLE, position, HINTS, width) - 3 - below);
  return (
    <StepFrame title={TITLE} position={position} hints={HINTS}>
      <Box>
        <Text>Secret: </Text>
        <TextField defaultValue={current ?? ''} isDisabled={!isActive} onChange={edited} />
      </Box>
      <Box marginTop={1} flexDirection="column">
        {options.length ? (
          <ChoiceList options={options} rows={rows} highlight={term.trim() || undefined} isActive={isActive} onChoose={choose} />
        ) : (
          <Text dimColor>Type a secret name or ARN.</Text>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {enter.waiting ? <Text color="yellow">{truncate('Enter: the first match is chosen once the list is in (typing cancels).', width)}</Text> : null}
        {secretsNote ? <Lines lines={secretsNote} /> : <Spinner label="Listing the secrets of the account..." />}
        {!incidentManager ? null : plansNote ? <Lines lines={plansNote} /> : <Spinner label="Looking for the secrets that response plans use..." />}
      </Box>
    </StepFrame>
  );
}

function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} dimColor>
          {line}
        </Text>
      ))}
    </>
  );
}
