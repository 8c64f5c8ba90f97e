/**
 * The Ink wizard's fix screen on the protocol's events: the wizard's own services (awsServices' applyFix)
 * run the real protocol on targets held in memory, each step held open by the test, and the screen shows
 * every event it showed when the protocol printed text: the change (a diff, or the deletion to cancel),
 * the validation, the backup, the question, re-reading, writing, verifying, the result and its undo.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../source/aws/session.js';
import type { ChangeRequest } from '../../source/fixes/protocol.js';
import type { ChangeTarget, DocumentTarget } from '../../source/fixes/targets.js';
import { App } from '../../source/ui/App.js';
import { awsServices } from '../../source/wizard/services.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { AFTER, BEFORE, CREATOR, DELETED_DATE, deferred, diagnosis, fakeServices, finding, healthyDiagnosis, SECRET, SECRET_ARN } from './fixtures.js';

/** Each step the test holds: the re-read, the write and the verifying check wait for the test's go. */
function gates() {
  return { reread: deferred<void>(), write: deferred<void>(), verify: deferred<void>() };
}

/** A target in memory whose first read (the re-read before the write) and write wait for the test. */
function held<T extends ChangeTarget>(base: Omit<T, 'read' | 'write'>, initial: string | null, g: ReturnType<typeof gates>): T {
  let value = initial;
  let reads = 0;
  return {
    ...base,
    async read() {
      if (++reads === 1) await g.reread.promise;
      return value;
    },
    async write(next: string | null) {
      await g.write.promise;
      value = next;
    },
  } as T;
}

function start(
  plans: (fix: string) => ChangeRequest,
  d = diagnosis([finding('secret-policy-incident-manager', 'fail', { fix: 'secret-policy' })]),
  backupDir = '',
) {
  const services = fakeServices({ diagnoses: [d, healthyDiagnosis()] });
  // The wizard's own applyFix (the protocol, the interruption, the question's wording); no AWS is called
  services.applyFix = awsServices({} as AwsSession, { backupDir, waitMs: 2000 }).applyFix;
  services.planFix = async (_inputs, fix) => ({ kind: 'change', fix, request: plans(fix) });
  const r = render(
    <App
      services={services}
      presets={{ symptom: 'incident-manager-secret', secretId: SECRET, principal: CREATOR }}
      size={{ columns: 100, rows: 40 }}
      onExit={() => {}}
    />,
  );
  return r;
}

async function toTheFix(r: ReturnType<typeof start>) {
  for (const question of ['Which error do you see?', 'Which secret?', 'Whose permissions?', "Also check the secret value's format?"]) {
    await r.waitForFrame(question);
    await r.press(KEYS.enter);
  }
  await r.waitForFrame('Report');
  await r.press(KEYS.enter);
}

describe("the wizard's fix screen, on the protocol's events", () => {
  it('a document change: the diff, validation, backup, question, re-reading, writing, verifying, the result and undo', async () => {
    const backupDir = await mkdtemp(path.join(tmpdir(), 'sd-fix-events-'));
    const g = gates();
    const target = held<DocumentTarget>(
      {
        kind: 'secret-policy',
        arn: SECRET_ARN,
        region: 'us-east-1',
        label: `the resource policy of secret ${SECRET}`,
        name: SECRET,
        validateRemote: async () => ({ available: false, reason: 'ValidateResourcePolicy is not implemented here.' }),
        undoCommand: (file: string) => `secrets-doctor restore-policy --secret-id ${SECRET_ARN} --region us-east-1 --from ${file}`,
        manualRoute: () => 'by hand',
      },
      BEFORE,
      g,
    );
    const request: ChangeRequest = {
      fix: 'secret-policy',
      target,
      before: BEFORE,
      after: AFTER,
      description: `add "AllowIncidentManagerToReadSecret" to ${target.label}`,
      passes: async () => {
        await g.verify.promise;
        return true;
      },
    };
    const r = start(() => request, undefined, backupDir);
    await toTheFix(r);

    // The plan, the validation and the backup, then the question (default no)
    const review = plain(await r.waitForFrame('y/N'));
    expect(review).toContain('Fix 1 of 1: secret-policy');
    expect(review).toContain(`To add "AllowIncidentManagerToReadSecret" to the resource policy of secret ${SECRET}.`);
    expect(review).toContain('+       "Sid": "AllowIncidentManagerToReadSecret",');
    expect(review).toContain('Remote validation not available: ValidateResourcePolicy is not implemented here.');
    expect(review).toMatch(new RegExp(`Backup: ${backupDir}/\\S+\\.json`));
    expect(review).toContain(`Apply this change to the resource policy of secret ${SECRET}?`);

    // Yes: each step of the write as it happens
    await r.press('y');
    await r.waitForFrame('Re-reading before the write...');
    g.reread.resolve();
    expect(plain(await r.waitForFrame('Writing...'))).toContain('Ctrl-C quit (after the write in progress)');
    g.write.resolve();
    const verifying = plain(await r.waitForFrame('Verifying...'));
    expect(verifying).toContain('Written. Verifying (up to 2 s)...');
    g.verify.resolve();

    // The result, its undo command, and the progress kept above it
    const done = plain(await r.waitForFrame('Enter summary')).replace(/\s+/g, ' ');
    expect(done).toMatch(/✔ Applied and verified in [\d.]+ s\./);
    expect(done).toContain(`Undo: secrets-doctor restore-policy --secret-id ${SECRET_ARN} --region us-east-1 --from ${backupDir}/`);
    expect(done).toContain(`Backup: ${backupDir}/`);
    expect(done).toContain('Remote validation not available');
    expect(done).toContain('Written. Verifying (up to 2 s)...');
  });

  it('restore-secret: the deletion to cancel, the question, writing, and the result with its undo, through the same screen', async () => {
    const g = gates();
    const target = held<ChangeTarget>(
      {
        kind: 'secret-deletion',
        arn: SECRET_ARN,
        region: 'us-east-1',
        label: `the scheduled deletion of secret ${SECRET}`,
        name: SECRET,
        undoCommand: () => `aws secretsmanager delete-secret --secret-id ${SECRET_ARN} --region us-east-1 --recovery-window-in-days 7`,
      },
      DELETED_DATE,
      g,
    );
    const request: ChangeRequest = {
      fix: 'restore-secret',
      target,
      before: DELETED_DATE,
      after: null,
      description: `cancel the scheduled deletion of ${SECRET}`,
      passes: async () => true,
    };
    const r = start(() => request, diagnosis([finding('secret-exists', 'fail', { fix: 'restore-secret' })]));
    await toTheFix(r);

    // (the headline wraps at the screen's width)
    const review = plain(await r.waitForFrame('y/N')).replace(/\s+/g, ' ');
    expect(review).toContain('Fix 1 of 1: restore-secret');
    expect(review).toContain(`To cancel the scheduled deletion of ${SECRET} (DeletedDate ${DELETED_DATE}), with RestoreSecret.`);
    expect(review).toContain(`Restore ${SECRET}? A deletion may have been deliberate.`);
    // Nothing to back up: no backup line
    expect(review).not.toContain('Backup:');

    await r.press('y');
    await r.waitForFrame('Re-reading before the write...');
    g.reread.resolve();
    expect(plain(await r.waitForFrame('Writing...'))).toContain('Ctrl-C quit (after the write in progress)');
    g.write.resolve();
    const done = plain(await r.waitForFrame('Enter summary')).replace(/\s+/g, ' ');
    expect(done).toContain('Written. Verifying (up to 2 s)...');
    expect(done).toMatch(/✔ Restored and verified in [\d.]+ s\./);
    expect(done).toContain(`Undo: aws secretsmanager delete-secret --secret-id ${SECRET_ARN} --region us-east-1 --recovery-window-in-days 7`);
    // The undo command once, on its own line (not repeated in the result's sentence)
    expect(done.split('delete-secret').length - 1).toBe(1);
  });
});
