import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { STATUS_PAGE_INCIDENT_STATUSES, type StatusPageIncidentStatus } from '../../../../core/model/capabilities/statuses';
import { SEVERITIES } from '../../../../core/model/incident-model';
import { INCIDENT_ACTION_RIGHTS, mayDo } from '../../../../core/model/rights';
import type { Role } from '../../../../core/schemas/config';
import { useIncidentAction } from '../api/queries';
import type { IncidentAction, IncidentActionName, IncidentRole, IncidentSnapshot, Severity } from '../api/types';
import { ErrorNotice, fieldErrorsOf, SelectField, TextArea, TextField } from '../components/ui';

/** The incident's roles, as the action `assign-role` names them. */
const ROLE_LABELS: Record<IncidentRole, string> = {
  commander: 'Incident commander',
  communications: 'Communications lead',
  scribe: 'Scribe',
  investigator: 'Investigator',
};
const ROLES = Object.keys(ROLE_LABELS) as IncidentRole[];

/** Moves that need nothing but a click; a note is optional. */
const ONE_CLICK: Array<{ action: Extract<IncidentActionName, 'acknowledge' | 'investigate' | 'escalate' | 'mitigate' | 'resolve' | 'close'>; label: string; done: string }> = [
  { action: 'acknowledge', label: 'Acknowledge', done: 'Acknowledged' },
  { action: 'investigate', label: 'Investigating', done: 'Marked as investigating' },
  { action: 'escalate', label: 'Escalate now', done: 'Escalated' },
  { action: 'mitigate', label: 'Mitigated', done: 'Marked as mitigated' },
  { action: 'resolve', label: 'Resolve', done: 'Resolved' },
  { action: 'close', label: 'Close', done: 'Closed' },
];

/** Whether `role` holds the right of `action` (the API refuses it anyway). */
export const mayTake = (role: Role, action: IncidentActionName) => mayDo(role, INCIDENT_ACTION_RIGHTS[action]);

/**
 * Every incident action `role` may take: one-click moves, and a form for each action that
 * needs input. The API decides what is allowed now: a refused move shows its reason (the
 * 409's message).
 */
export function IncidentActions({ incident, role }: { incident: IncidentSnapshot; role: Role }) {
  const may = (action: IncidentActionName) => mayTake(role, action);
  return (
    <section aria-labelledby="actions-heading" className="panel">
      <h2 id="actions-heading">Actions</h2>
      <QuickActions id={incident.id} actions={ONE_CLICK.filter(({ action }) => may(action))} />
      <div className="action-forms">
        {may('add-note') ? (
          <ActionForm id={incident.id} title="Add a note" submit="Add note" done="Note added">
            {(state) => ({
              body: <TextArea label="Note" value={state.text('text')} onChange={state.set('text')} error={state.errors.text} required rows={3} />,
              action: (): IncidentAction => ({ action: 'add-note', text: state.text('text') }),
            })}
          </ActionForm>
        ) : null}
        {may('set-severity') ? (
          <ActionForm id={incident.id} title="Set severity" submit="Set severity" done="Severity set">
            {(state) => ({
              body: (
                <>
                  <SelectField label="Severity" value={state.text('severity', incident.severity) as Severity} options={SEVERITIES} onChange={state.set('severity')} error={state.errors.severity} required />
                  <TextField label="Reason" value={state.text('reason')} onChange={state.set('reason')} error={state.errors.reason} />
                </>
              ),
              action: (): IncidentAction => ({
                action: 'set-severity',
                severity: state.text('severity', incident.severity) as Severity,
                ...optional('reason', state.text('reason')),
              }),
            })}
          </ActionForm>
        ) : null}
        {may('assign-role') ? (
          <ActionForm id={incident.id} title="Assign a role" submit="Assign" done="Role assigned">
            {(state) => ({
              body: (
                <>
                  <SelectField
                    label="Role"
                    value={state.text('role', 'commander') as IncidentRole}
                    options={ROLES}
                    optionLabel={(role) => ROLE_LABELS[role]}
                    onChange={state.set('role')}
                    error={state.errors.role}
                    required
                  />
                  <TextField label="Assignee" value={state.text('assignee')} onChange={state.set('assignee')} error={state.errors.assignee} required />
                  <label className="check">
                    <input type="checkbox" checked={state.text('remove') === 'yes'} onChange={(event) => state.set('remove')(event.target.checked ? 'yes' : '')} /> Remove
                    this investigator instead
                  </label>
                </>
              ),
              action: (): IncidentAction => ({
                action: 'assign-role',
                role: state.text('role', 'commander') as IncidentRole,
                assignee: state.text('assignee'),
                remove: state.text('remove') === 'yes',
              }),
            })}
          </ActionForm>
        ) : null}
        {may('post-status-update') ? (
          <ActionForm id={incident.id} title="Post a status update" submit="Post update" done="Status update posted">
            {(state) => ({
              body: (
                <>
                  <TextArea
                    label="Message"
                    hint="Public: customers read it on the status page."
                    value={state.text('message')}
                    onChange={state.set('message')}
                    error={state.errors.message}
                    required
                  />
                  <SelectField
                    label="Stage"
                    value={state.text('status', 'investigating') as StatusPageIncidentStatus}
                    options={STATUS_PAGE_INCIDENT_STATUSES}
                    onChange={state.set('status')}
                    error={state.errors.status}
                  />
                </>
              ),
              action: (): IncidentAction => ({
                action: 'post-status-update',
                message: state.text('message'),
                status: state.text('status', 'investigating') as StatusPageIncidentStatus,
                components: {},
              }),
            })}
          </ActionForm>
        ) : null}
        {may('add-action-item') ? (
          <ActionForm id={incident.id} title="Add an action item" submit="Add action item" done="Action item added">
            {(state) => ({
              body: (
                <>
                  <TextField label="Title" value={state.text('title')} onChange={state.set('title')} error={state.errors.title} required />
                  <TextField label="Owner" value={state.text('owner')} onChange={state.set('owner')} error={state.errors.owner} />
                </>
              ),
              action: (): IncidentAction => ({ action: 'add-action-item', title: state.text('title'), ...optional('owner', state.text('owner')) }),
            })}
          </ActionForm>
        ) : null}
        {may('reopen') ? (
          <ActionForm id={incident.id} title="Reopen" submit="Reopen" done="Reopened">
            {(state) => ({
              body: <TextField label="Reason" value={state.text('reason')} onChange={state.set('reason')} error={state.errors.reason} required />,
              action: (): IncidentAction => ({ action: 'reopen', reason: state.text('reason') }),
            })}
          </ActionForm>
        ) : null}
      </div>
    </section>
  );
}

const optional = <K extends string>(name: K, value: string) => (value.trim() ? ({ [name]: value } as Record<K, string>) : {});

function QuickActions({ id, actions }: { id: string; actions: typeof ONE_CLICK }) {
  const act = useIncidentAction(id);
  const [done, setDone] = useState<string>();
  return (
    <div className="quick-actions">
      <div className="button-row" role="group" aria-label="Move the incident">
        {actions.map(({ action, label, done: said }) => (
          <button
            key={action}
            type="button"
            disabled={act.isPending}
            onClick={() => {
              setDone(undefined);
              act.mutate({ action } as IncidentAction, { onSuccess: () => setDone(said) });
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <Outcome pending={act.isPending} done={done} error={act.error} />
    </div>
  );
}

/** What a form hands its fields: text by name, a setter, and the API's messages by field. */
interface FormState {
  text: (name: string, fallback?: string) => string;
  set: (name: string) => (value: string) => void;
  errors: Record<string, string>;
}

function ActionForm(props: {
  id: string;
  title: string;
  submit: string;
  done: string;
  children: (state: FormState) => { body: ReactNode; action: () => IncidentAction };
}) {
  const { id, title, submit, done, children } = props;
  const act = useIncidentAction(id);
  const [values, setValues] = useState<Record<string, string>>({});
  const [said, setSaid] = useState<string>();
  const headingId = useId();
  const state: FormState = {
    text: (name, fallback = '') => values[name] ?? fallback,
    set: (name) => (value) => setValues((held) => ({ ...held, [name]: value })),
    errors: fieldErrorsOf(act.error),
  };
  const { body, action } = children(state);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaid(undefined);
    act.mutate(action(), {
      onSuccess: () => {
        setValues({});
        setSaid(done);
      },
    });
  };
  return (
    <details className="action-form">
      <summary id={headingId}>{title}</summary>
      <form onSubmit={onSubmit} aria-labelledby={headingId} noValidate>
        {body}
        <button type="submit" disabled={act.isPending}>
          {submit}
        </button>
        <Outcome pending={act.isPending} done={said} error={act.error} />
      </form>
    </details>
  );
}

/** The result of an action: in progress, done, or the API's reason for refusing it. */
function Outcome({ pending, done, error }: { pending: boolean; done?: string; error: unknown }) {
  return (
    <>
      <p role="status" className={done && !pending && !error ? 'outcome ok' : 'outcome'}>
        {pending ? 'Sending…' : done && !error ? `${done}.` : ''}
      </p>
      {error && !pending ? <ErrorNotice error={error} title="Not done" /> : null}
    </>
  );
}
