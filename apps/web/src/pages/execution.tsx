import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useCancel, useDecide, useExecution } from '../api/queries';
import { may, useSession, type Session } from '../api/session';
import type { ExecutionView } from '../api/types';
import { Age, ErrorNotice, Facts, fieldErrorsOf, JsonBlock, Loading, StatusBadge, TextArea, Time, usePageTitle } from '../components/ui';
import { asText } from '../lib/format';
import { markReady } from '../lib/ready';

const ACTIVE = new Set(['running', 'waiting-approval', 'compensating']);

/** One runbook execution, live while it runs: steps and attempts, approvals, compensations, log, outcome. */
export default function Execution() {
  const { id = '' } = useParams();
  const execution = useExecution(id);
  const session = useSession();
  usePageTitle(execution.data ? `${execution.data.title} ${id}` : id);

  useEffect(() => {
    if (execution.data) markReady('execution');
  }, [execution.data]);

  if (execution.isPending) return <Loading what="the execution" />;
  if (execution.isError) {
    return (
      <>
        <h1>Execution {id}</h1>
        <ErrorNotice error={execution.error} title="The execution could not be read" />
      </>
    );
  }
  const data = execution.data;
  const active = ACTIVE.has(data.status);
  return (
    <>
      <p className="muted">
        <Link to="/executions">Executions</Link> / <code>{data.id}</code>
      </p>
      <h1>
        {data.title}
        {data.dryRun ? ' (dry run)' : ''}
      </h1>
      <p role="status" className="lead">
        <StatusBadge status={data.status} />
        {data.currentStep && active ? <span> now at {data.currentStep}</span> : null}
        {active ? <span className="muted"> · updating every second</span> : null}
      </p>
      <Facts
        label="About this execution"
        items={[
          ['Runbook', <Link key="rb" to={`/runbooks/${data.runbookId}`}>{`${data.runbookId} v${data.runbookVersion}`}</Link>],
          ['Incident', data.incidentId ? <Link key="inc" to={`/incidents/${data.incidentId}`}>{data.incidentId}</Link> : '—'],
          ['Launched by', `${data.launchedBy} (${data.trigger})`],
          ['Started', <Age key="started" at={data.startedAt} />],
          ['Ended', data.endedAt ? <Time key="ended" at={data.endedAt} /> : '—'],
        ]}
      />
      <JsonBlock value={data.input} summary="Input" />
      {data.pendingApproval ? <Approval execution={data} session={session.data} /> : null}
      {may(session.data, 'execution.cancel') && active ? <Cancel id={data.id} /> : null}
      <Steps execution={data} />
      <Outcome execution={data} />
      <Approvals execution={data} />
      <Log execution={data} />
    </>
  );
}

function Approval({ execution, session }: { execution: ExecutionView; session: Session | null | undefined }) {
  const pending = execution.pendingApproval;
  const decide = useDecide(execution.id);
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<boolean>();
  if (!pending) return null;
  const mayDecide = !!session && pending.approvers.includes(session.role);
  const errors = fieldErrorsOf(decide.error);
  const send = (approve: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    setDecision(approve);
    decide.mutate({ approve, comment: comment.trim() || undefined });
  };
  return (
    <section aria-labelledby="approval-heading" className="panel panel-attention">
      <h2 id="approval-heading">Waiting for approval</h2>
      <p className="prompt">{pending.prompt}</p>
      <p className="muted">
        {pending.approvers.join(' or ')} may decide; asked <Age at={pending.requestedAt} />, expires <Time at={pending.expiresAt} />.
      </p>
      {mayDecide && may(session, 'execution.approve') ? (
        <form onSubmit={send(true)} noValidate aria-labelledby="approval-heading">
          <TextArea label="Comment" hint="Required to reject." value={comment} onChange={setComment} error={errors.comment} rows={2} />
          <div className="button-row">
            <button type="submit" disabled={decide.isPending}>
              Approve
            </button>
            <button type="button" className="danger" disabled={decide.isPending} onClick={() => send(false)()}>
              Reject
            </button>
          </div>
          <p role="status">{decide.isPending ? 'Sending…' : decide.isSuccess ? (decision ? 'Approved.' : 'Rejected.') : ''}</p>
          {decide.isError ? <ErrorNotice error={decide.error} title="Not decided" /> : null}
        </form>
      ) : (
        <p>Your role ({session?.role}) may not decide this approval.</p>
      )}
    </section>
  );
}

function Cancel({ id }: { id: string }) {
  const cancel = useCancel(id);
  return (
    <div className="button-row">
      <button type="button" className="danger" disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate()}>
        Cancel the execution
      </button>
      <span role="status">{cancel.isSuccess ? 'Cancelling: completed steps are being undone.' : ''}</span>
      {cancel.isError ? <ErrorNotice error={cancel.error} title="Not cancelled" /> : null}
    </div>
  );
}

function Steps({ execution }: { execution: ExecutionView }) {
  return (
    <section aria-labelledby="steps-heading" className="panel">
      <h2 id="steps-heading">{execution.dryRun ? 'Plan' : 'Steps'}</h2>
      {execution.steps.length === 0 ? (
        <p className="empty">No steps yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="list">
            <caption className="visually-hidden">Steps in the order they ran</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Started</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {execution.steps.map((step) => (
                <tr key={step.id} className={step.compensates ? 'compensation' : undefined}>
                  <td>
                    <code>{step.name}</code>
                    {step.compensates ? <span className="muted"> undoes {step.compensates}</span> : null}
                  </td>
                  <td>
                    <span className={`badge step-${step.status}`}>{step.status}</span>
                  </td>
                  <td>{step.attempts ?? '—'}</td>
                  <td>
                    <Time at={step.startedAt} />
                  </td>
                  <td>
                    {step.error ? <p className="field-error">{step.error}</p> : null}
                    <JsonBlock value={step.args} summary="Arguments" />
                    <JsonBlock value={step.result} summary="Result" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Outcome({ execution }: { execution: ExecutionView }) {
  const outcome = execution.outcome;
  if (!outcome) return null;
  return (
    <section aria-labelledby="outcome-heading" className="panel">
      <h2 id="outcome-heading">Outcome</h2>
      <p>
        <StatusBadge status={outcome.status} />
        {outcome.joined ? (
          <>
            {' '}
            joined <Link to={`/executions/${outcome.joined}`}>{outcome.joined}</Link>
          </>
        ) : null}
      </p>
      {outcome.error ? <p className="field-error">{outcome.error}</p> : null}
      {outcome.undone.length ? <p>Undone (compensated), in order: {outcome.undone.join(', ')}</p> : null}
      {outcome.result !== undefined ? <pre>{asText(outcome.result)}</pre> : null}
    </section>
  );
}

function Approvals({ execution }: { execution: ExecutionView }) {
  if (execution.approvals.length === 0) return null;
  return (
    <section aria-labelledby="decisions-heading" className="panel">
      <h2 id="decisions-heading">Approval decisions</h2>
      <ul>
        {execution.approvals.map((decision) => (
          <li key={`${decision.at}-${decision.by}`}>
            {decision.prompt}: <strong>{decision.approved ? 'approved' : 'rejected'}</strong> by {decision.by}
            {decision.comment ? `: “${decision.comment}”` : ''} (<Time at={decision.at} />)
          </li>
        ))}
      </ul>
    </section>
  );
}

function Log({ execution }: { execution: ExecutionView }) {
  return (
    <section aria-labelledby="log-heading" className="panel">
      <h2 id="log-heading">Log</h2>
      {execution.log.length === 0 ? (
        <p className="empty">Nothing logged.</p>
      ) : (
        <ol className="log">
          {execution.log.map((line, index) => (
            <li key={index}>
              <Time at={line.at} /> {line.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
