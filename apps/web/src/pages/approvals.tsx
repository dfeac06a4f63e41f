import { useEffect } from 'react';
import { useExecutionPage } from '../api/queries';
import { useSession } from '../api/session';
import { ErrorNotice, Loading, usePageTitle } from '../components/ui';
import { markReady } from '../lib/ready';
import { ExecutionTable } from './executions';

/** Executions waiting for an approval the signed-in person's role may give. */
export default function Approvals() {
  usePageTitle('Approvals');
  const session = useSession();
  const waiting = useExecutionPage({ awaitingApproval: 'true', limit: 200 });
  const role = session.data?.role;
  const mine = waiting.data?.executions.filter((execution) => !execution.pendingApproval || (role !== undefined && execution.pendingApproval.approvers.includes(role)));
  const others = (waiting.data?.executions.length ?? 0) - (mine?.length ?? 0);

  useEffect(() => {
    if (waiting.data) markReady('approvals');
  }, [waiting.data]);

  return (
    <>
      <h1>Approvals</h1>
      <p>
        Runbook steps waiting for a decision that your role ({role}) may take. Open one to approve or reject it.
      </p>
      <ErrorNotice error={waiting.error} title="Approvals could not be read" />
      {waiting.isPending ? <Loading what="approvals" /> : null}
      {mine ? <ExecutionTable rows={mine} caption="Executions waiting for your approval" empty="Nothing waits for your decision." /> : null}
      {others > 0 ? (
        <p className="muted">
          {others} more {others === 1 ? 'waits' : 'wait'} for another role.
        </p>
      ) : null}
    </>
  );
}
