/**
 * The wizard's root: runs the flow (useWizard), shows the current step, and is the one place that leaves:
 * when the flow decides to exit (done, or Ctrl-C) it reports the final state and unmounts. Ctrl-C is
 * handled here (render with exitOnCtrlC: false); a write that has started is allowed to return first.
 */
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { painter } from '../report/paint.js';
import type { Inputs } from '../types.js';
import { ChecksStep, Printed, printedText } from './ChecksStep.js';
import { ScreenContext, type Screen } from './context.js';
import { FixStep } from './FixStep.js';
import type { Presets, Question, WizardState } from '../wizard/state.js';
import { stepPosition } from './step-position.js';
import { ActionStep } from './ActionStep.js';
import { ChangedStep } from './ChangedStep.js';
import { ErrorMessageStep } from './ErrorMessageStep.js';
import { ExpectVersionStep } from './ExpectVersionStep.js';
import { KmsKeyStep } from './KmsKeyStep.js';
import { ManyChecksStep } from './ManyChecksStep.js';
import { ManyListStep } from './ManyListStep.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { MfaPrompt } from './MfaPrompt.js';
import { PrincipalStep } from './PrincipalStep.js';
import { ReadValueStep } from './ReadValueStep.js';
import { ReportStep } from './ReportStep.js';
import { SecretStep } from './SecretStep.js';
import type { WizardServices } from '../wizard/services.js';
import { SummaryStep } from './SummaryStep.js';
import { SymptomStep } from './SymptomStep.js';
import { useTerminalSize, type Size } from './use-terminal-size.js';
import { useRedrawOnResize } from './use-redraw.js';
import { useWizard } from './use-wizard.js';
import type { Outside } from '../wizard/runner.js';

export interface AppProps {
  services: WizardServices;
  /** Answers from the command line, pre-selected. */
  presets?: Presets;
  /** The command line's other settings (region, profile, timeouts...). */
  base?: Omit<Inputs, 'symptom'>;
  /** @default false */
  color?: boolean;
  /** Signals and MFA requests from outside the tree. */
  outside?: Outside;
  /** A fixed terminal size (tests); default: the terminal's, following resizes. */
  size?: Size;
  /** Called once, with the final state, just before the app unmounts. */
  onExit?(state: WizardState): void;
}

export function App({ services, presets = {}, base = {}, color = false, outside, size: fixedSize, onExit }: AppProps) {
  const { runner: wizard, state } = useWizard(services, presets, base, outside);
  const { dispatch } = wizard;
  const { exit } = useApp();
  const size = useTerminalSize(fixedSize);
  // A screen's key handlers subscribe in its effects, which run before this root's: once this effect has
  // seen the screen, its keys work, and its key hints are shown.
  const screenId = `${state.step}|${state.fix?.ticket ?? ''}|${state.fix?.phase ?? ''}|${state.mfa ? 'mfa' : ''}`;
  const [readyId, setReadyId] = useState<string>();
  useEffect(() => setReadyId(screenId), [screenId]);
  const screen = useMemo<Screen>(
    () => ({ width: Math.max(40, size.columns - 1), height: Math.max(12, size.rows), paint: painter(color), color, keysReady: readyId === screenId }),
    [size.columns, size.rows, color, readyId, screenId],
  );

  // A resize leaves the old frame's top behind on terminals that reflow: the screen is drawn again.
  useRedrawOnResize(!fixedSize, () => printedText(state.printed, screen.width, screen.paint));

  useInput((input, key) => {
    if (key.ctrl && input === 'c') wizard.interrupt();
  });

  // The one way out: once, when the flow decides to leave (the state no longer changes after that).
  useEffect(() => {
    if (!state.exit) return;
    onExit?.(state);
    exit();
  }, [state, onExit, exit]);

  const active = !state.mfa && !state.exit && !state.leaving;
  const { action, errorMessage, kmsKeyId, changed, expectVersionId } = state;
  const extra = useMemo(() => ({ action, errorMessage, kmsKeyId, changed, expectVersionId }), [action, errorMessage, kmsKeyId, changed, expectVersionId]);
  const back = () => dispatch({ type: 'back' });
  const position = (q: Question) => stepPosition(state, q);

  let body: React.ReactNode = null;
  switch (state.step) {
    case 'symptom':
      body = (
        <SymptomStep
          current={state.symptom}
          position={position('symptom')}
          isActive={active}
          onChoose={(symptom) => dispatch({ type: 'symptom-chosen', symptom })}
        />
      );
      break;
    case 'secret':
      body = (
        <SecretStep
          symptom={state.symptom ?? 'not-sure'}
          secrets={state.secrets}
          plans={state.plans}
          current={state.secretId}
          position={position('secret')}
          isActive={active}
          onChoose={(secretId) => dispatch({ type: 'secret-chosen', secretId })}
          onMany={(source, secretIds) => dispatch({ type: 'many-chosen', source, secretIds })}
          onBack={back}
        />
      );
      break;
    case 'action':
      body = (
        <ActionStep
          current={state.action}
          position={position('action')}
          isActive={active}
          onChoose={(action) => dispatch({ type: 'action-chosen', action })}
          onBack={back}
        />
      );
      break;
    case 'error-message':
      body = (
        <ErrorMessageStep
          current={state.errorMessage}
          action={state.action}
          position={position('error-message')}
          isActive={active}
          onSubmit={(text) => dispatch({ type: 'error-message-entered', text })}
          onBack={back}
        />
      );
      break;
    case 'changed':
      body = (
        <ChangedStep
          current={state.changed}
          position={position('changed')}
          isActive={active}
          onChoose={(changed) => dispatch({ type: 'changed-chosen', changed })}
          onBack={back}
        />
      );
      break;
    case 'expect-version':
      body = (
        <ExpectVersionStep
          current={state.expectVersionId}
          position={position('expect-version')}
          isActive={active}
          onSubmit={(versionId) => dispatch({ type: 'expect-version-entered', versionId })}
          onBack={back}
        />
      );
      break;
    case 'kms-key':
      body = (
        <KmsKeyStep
          keys={state.keys}
          current={state.kmsKeyId}
          position={position('kms-key')}
          isActive={active}
          onChoose={(kmsKeyId) => dispatch({ type: 'kms-key-chosen', kmsKeyId })}
          onBack={back}
        />
      );
      break;
    case 'many-checks':
      body = state.many ? (
        <ManyChecksStep many={state.many} title={SYMPTOM_CATALOGUE[state.symptom ?? 'not-sure'].label} isActive={active} onBack={back} />
      ) : null;
      break;
    case 'many-list':
      body = state.many ? (
        <ManyListStep
          many={state.many}
          isActive={active}
          onOpen={(index) => dispatch({ type: 'many-open', index })}
          onBack={back}
          onLeave={() => dispatch({ type: 'leave' })}
        />
      ) : null;
      break;
    case 'principal':
      body = (
        <PrincipalStep
          current={state.principal}
          caller={state.caller}
          principals={state.principals}
          forIncidentManager={state.symptom === 'incident-manager-secret'}
          position={position('principal')}
          isActive={active}
          onChoose={(principal) => dispatch({ type: 'principal-chosen', principal })}
          onBack={back}
        />
      );
      break;
    case 'read-value':
      body = (
        <ReadValueStep
          current={state.readValue}
          position={position('read-value')}
          isActive={active}
          onAnswer={(readValue) => dispatch({ type: 'read-value-answered', readValue })}
          onBack={back}
        />
      );
      break;
    case 'checks':
      body = <ChecksStep rows={state.checks} isActive={active} onBack={back} />;
      break;
    case 'report':
      body = (
        <ReportStep
          diagnosis={state.diagnosis}
          failure={state.failure}
          fixes={state.queue}
          fromList={Boolean(state.many)}
          extra={extra}
          saved={state.saved}
          isActive={active}
          onContinue={() => dispatch({ type: 'report-continue' })}
          onBack={back}
          onLeave={() => dispatch({ type: 'leave' })}
          onSave={() => dispatch({ type: 'report-save' })}
        />
      );
      break;
    case 'fix':
      body = state.fix ? (
        <FixStep
          key={state.fix.ticket}
          fix={state.fix}
          position={`${state.current + 1} of ${state.queue.length}`}
          creator={state.principal?.kind === 'arn' ? state.principal.arn : undefined}
          more={state.current + 1 < state.queue.length}
          isActive={active}
          onCreator={(includeCreator) => dispatch({ type: 'creator-answered', includeCreator })}
          onAnswer={wizard.answerFix}
          onNext={() => dispatch({ type: 'fix-next' })}
          onBack={back}
        />
      ) : null;
      break;
    case 'summary':
      body = <SummaryStep applied={state.applied} after={state.after} isActive={active} onLeave={() => dispatch({ type: 'leave' })} />;
      break;
  }

  return (
    <ScreenContext.Provider value={screen}>
      <Printed items={state.printed} />
      <Box flexDirection="column" width={screen.width}>
        {state.mfa ? <MfaPrompt serial={state.mfa.serial} onAnswer={wizard.answerMfa} /> : body}
        {state.leaving ? <Text color="yellow">Leaving as soon as the write in progress returns (a change is never left half done)...</Text> : null}
      </Box>
    </ScreenContext.Provider>
  );
}
