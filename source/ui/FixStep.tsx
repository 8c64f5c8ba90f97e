/**
 * One fix: (for key-policy, whether to add the creator's statement too) the change (a document's as a
 * diff), then the confirmation (default no), then applying it with progress and verification, then the
 * result. The protocol's events are worded as every front-end words them (fixes/wording.ts).
 */
import { ConfirmInput, Spinner } from '@inkjs/ui';
import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { FixState } from '../wizard/state.js';
import { hintRows, KeyHints, QUIT, type Hint } from './KeyHints.js';
import { ScrollView } from './ScrollView.js';
import { proposalLines } from '../wizard/text.js';
import { stripAnsi, truncate, wrap } from '../report/layout.js';
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
  const progressLines = useMemo(() => fix.events.flatMap((e) => progressLine(e) ?? []), [fix.events]);
  const progress = useMemo(() => progressLines.flatMap((line) => wrap(line, width, '  ')), [progressLines, width]);
  const result = useMemo(() => (fix.applied ? resultLines(fix.applied, width, paint) : []), [fix.applied, width, paint]);
  // The first changed line is where the diff opens, a little context above it.
  const firstChange = useMemo(
    () =>
      Math.max(
        0,
        body.findIndex((l) => /^[+-] /.test(stripAnsi(l))),
      ),
    [body],
  );
  const question = useMemo(() => (fix.question ? wrap(fix.question, width - 5) : []), [fix.question, width]);

  const title = `Fix ${position}: ${fix.fix}`;
  if (fix.phase === 'creator') {
    return (
      <Box flexDirection="column">
        <Text bold>{title}</Text>
        <Box marginTop={1} flexDirection="column">
          <Text wrap="wrap">
            Incident Manager uses the key on behalf of the identity that creates the response plan too. Besides the statement for ssm-incidents.amazonaws.com,
            add one that lets the creator use the key (kms:Decrypt, kms:GenerateDataKey*)?
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

  let hints: Hint[];
  if (fix.phase === 'done') hints = [['Enter', more ? 'next fix' : 'summary'], QUIT];
  else if (asking) hints = [['y', 'apply'], ['n or Enter', 'skip'], ['↑↓', 'scroll'], TO_REPORT, QUIT];
  else if (fix.phase === 'applying') hints = [['Ctrl-C', 'quit (after the write in progress)']];
  else hints = [TO_REPORT, QUIT];

  // The title, the question and the keys always show; the diff scrolls in the rows the rest leaves.
  const bottom = asking ? question.length : fix.phase === 'done' ? result.length : fix.phase === 'planning' ? 0 : 1;
  const layout = fitFix({
    height,
    head,
    progress,
    bottom,
    hints: hintRows(hints, width),
    diff: fix.phase === 'planning' ? 'spinner' : fix.phase === 'done' ? 'none' : body.length,
  });
  const shownHead =
    layout.head < head.length
      ? [
          ...head.slice(0, layout.head - 1),
          truncate(
            head
              .slice(layout.head - 1)
              .map((l, i) => (i ? l.trim() : l))
              .join(' '),
            width,
          ),
        ]
      : head;
  // Progress cut short: its newest entries, a line each.
  const shownProgress = layout.progress < progress.length ? progressLines.slice(-layout.progress).map((p) => truncate(p, width)) : progress;
  // Three lines of context above the first change, fewer in a small window.
  const context = Math.min(3, Math.floor(layout.diff / 4));

  return (
    <Box flexDirection="column">
      <Text bold>{truncate(title, width)}</Text>
      {shownHead.length ? <Lines lines={shownHead} /> : null}
      {fix.phase === 'planning' ? (
        <Box marginTop={1}>
          <Spinner label="Reading the current document and planning the change..." />
        </Box>
      ) : fix.phase === 'done' || !body.length ? null : (
        <Box marginTop={1} flexDirection="column">
          <ScrollView key={firstChange} lines={body} height={layout.diff} initialTop={Math.max(0, firstChange - context)} isActive={isActive} />
        </Box>
      )}
      {shownProgress.length ? (
        <Box marginTop={1}>
          <Lines lines={shownProgress} dim />
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

/**
 * The rows of the fix screen at a terminal `height`: title, description (`head`), the diff (or the
 * planning spinner), the progress, the question (or a spinner, or the result: `bottom`), the keys, with a
 * gap between each, and the last row of the terminal left free (a live area as tall as the terminal
 * makes Ink clear it and print everything again, and the title scrolls away). The diff gets what is left,
 * at least MIN_DIFF rows; where that is short, the description and the progress give up lines first.
 * Returns the lines of each to show; `diff` is the height to give ScrollView (its position line apart).
 */
export function fitFix(parts: {
  height: number;
  head: readonly string[];
  progress: readonly string[];
  bottom: number;
  hints: number;
  diff: number | 'spinner' | 'none';
}) {
  const { height, bottom, hints, diff } = parts;
  let head = parts.head.length;
  let progress = parts.progress.length;
  const block = diff === 'none' ? 0 : diff === 'spinner' ? 2 : 1; // the diff's gap, or gap and spinner
  const rows = () => height - 1 - (1 + head + block + (progress ? 1 + progress : 0) + 1 + bottom + 1 + hints);
  const wanted = typeof diff === 'number' ? Math.min(diff, MIN_DIFF) : 0;
  // Shorter description and progress (to 1 line each) until the diff has its few rows.
  while (rows() < wanted && (head > 1 || progress > 1)) {
    if (head >= progress && head > 1) head--;
    else progress--;
  }
  if (typeof diff !== 'number') return { head, progress, diff: 0 };
  const room = Math.max(2, rows());
  // All of a short diff; else its lines and, below them, the position line.
  return { head, progress, diff: diff <= room ? room : room - 1 };
}

/** Rows of diff (its position line included) that the description and the progress make room for. */
const MIN_DIFF = 8;
