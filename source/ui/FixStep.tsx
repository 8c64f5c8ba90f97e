/**
 * One fix: (for key-policy, whether to add the creator's statement too) the change (a document's as a
 * diff), then the confirmation (default no), then applying it with progress and verification, then the
 * result. The protocol's events are worded as every front-end words them (fixes/wording.ts).
 */
import { ConfirmInput, Spinner } from '@inkjs/ui';
import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { FixState } from '../wizard/state.js';
import { KeyHints, QUIT, type Hint } from './KeyHints.js';
import { ScrollView } from './ScrollView.js';
import { proposalLines } from '../wizard/text.js';
import { wrap } from '../report/layout.js';
import { activity, planHeadline, progressLine } from '../fixes/wording.js';
import { resultLines } from '../wizard/summary.js';
import { useScreen } from './context.js';
import { visible } from '../visible.js';

export interface FixStepProps {
  fix: FixState;
  /** e.g. "1 of 2". */
  position: string;
  /** key-policy: the creator whose statement may be added. */
  creator?: string | undefined;
  /** Whether more fixes follow. */
  more: boolean;
  isActive: boolean;
  onCreator(include: boolean): void;
  onAnswer(yes: boolean): void;
  onNext(): void;
  onBack(): void;
}

const TO_REPORT: Hint = ['Esc', 'back to the report'];

function Lines({ lines, dim = false }: { lines: string[]; dim?: boolean }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} dimColor={dim} wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}

export function FixStep({ fix, position, creator, more, isActive, onCreator, onAnswer, onNext, onBack }: FixStepProps) {
  const { width, height, paint } = useScreen();
  const asking = fix.phase === 'review' && fix.question !== undefined;
  useInput(
    (_input, key) => {
      if (key.escape && (fix.phase === 'creator' || fix.phase === 'planning' || fix.phase === 'review')) onBack();
      else if (key.return && fix.phase === 'done') onNext();
    },
    { isActive },
  );

  const head = useMemo(() => (fix.proposal ? wrap(planHeadline(fix.proposal), width, '  ') : []), [fix.proposal, width]);
  const body = useMemo(() => (fix.proposal ? proposalLines(fix.proposal, width, paint) : []), [fix.proposal, width, paint]);
  const progress = useMemo(
    () => fix.events.flatMap((e) => progressLine(e) ?? []).flatMap((line) => wrap(line, width, '  ')),
    [fix.events, width],
  );
  const result = useMemo(() => (fix.applied ? resultLines(fix.applied, width, paint) : []), [fix.applied, width, paint]);
  // The first changed line, a little context above it, is where the diff opens.
  const firstChange = useMemo(() => Math.max(0, body.findIndex((l) => /^(\u001b\[\d+m)?[+-] /.test(l)) - 3), [body]);
  const question = useMemo(() => (fix.question ? wrap(fix.question, width - 5) : []), [fix.question, width]);

  const title = `Fix ${position}: ${fix.fix}`;
  if (fix.phase === 'creator') {
    return (
      <Box flexDirection="column">
        <Text bold>{title}</Text>
        <Box marginTop={1} flexDirection="column">
          <Text wrap="wrap">
            Incident Manager uses the key on behalf of the identity that creates the response plan too. Besides the statement for ssm-incidents.amazonaws.com, add one that lets the creator use the key (kms:Decrypt, kms:GenerateDataKey*)?
          </Text>
          <Text dimColor wrap="wrap">{`Creator: ${visible(creator ?? '')}`}</Text>
        </Box>
        <Box marginTop={1}>
          <Text>Also add the creator's statement? </Text>
          <ConfirmInput isDisabled={!isActive} defaultChoice="cancel" onConfirm={() => onCreator(true)} onCancel={() => onCreator(false)} />
        </Box>
        <Box marginTop={1}>
          <KeyHints hints={[['y', 'yes'], ['n or Enter', 'no'], TO_REPORT, QUIT]} />
        </Box>
      </Box>
    );
  }

  // Rows for the diff: what the rest of the screen leaves, never less than a few.
  const fixed = 1 + head.length + 1 + progress.length + 1 + Math.max(1, question.length) + 1 + 2 + 2;
  const room = Math.max(4, height - fixed);
  let hints: Hint[];
  if (fix.phase === 'done') hints = [['Enter', more ? 'next fix' : 'summary'], QUIT];
  else if (asking) hints = [['y', 'apply'], ['n or Enter', 'skip'], ['↑↓', 'scroll'], TO_REPORT, QUIT];
  else if (fix.phase === 'applying') hints = [['Ctrl-C', 'quit (after the write in progress)']];
  else hints = [TO_REPORT, QUIT];

  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {head.length ? <Lines lines={head} /> : null}
      {fix.phase === 'planning' ? (
        <Box marginTop={1}>
          <Spinner label="Reading the current document and planning the change..." />
        </Box>
      ) : fix.phase === 'done' || !body.length ? null : (
        <Box marginTop={1} flexDirection="column">
          <ScrollView key={firstChange} lines={body} height={room} initialTop={firstChange} isActive={isActive} />
        </Box>
      )}
      {progress.length ? (
        <Box marginTop={1}>
          <Lines lines={progress} dim />
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {asking ? (
          <Box flexDirection="column">
            <Lines lines={question.slice(0, -1)} />
            <Box>
              <Text>{`${question[question.length - 1] ?? ''} `}</Text>
              <ConfirmInput isDisabled={!isActive} defaultChoice="cancel" onConfirm={() => onAnswer(true)} onCancel={() => onAnswer(false)} />
            </Box>
          </Box>
        ) : fix.phase === 'review' ? (
          <Spinner label="Validating and writing the backup..." />
        ) : fix.phase === 'applying' ? (
          <Spinner label={activity(fix.events)} />
        ) : fix.phase === 'done' ? (
          <Lines lines={result} />
        ) : null}
      </Box>
      <Box marginTop={1}>
        <KeyHints hints={hints} />
      </Box>
    </Box>
  );
}
