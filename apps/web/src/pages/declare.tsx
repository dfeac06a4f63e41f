import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { SEVERITIES } from '../../../../core/model/incident-model';
import { LEVELS, type Impact } from '../../../../core/model/priority';
import { useDeclare } from '../api/queries';
import { may, useSession } from '../api/session';
import type { DeclareIncident, Severity } from '../api/types';
import { ErrorNotice, fieldErrorsOf, SelectField, TextArea, TextField, usePageTitle } from '../components/ui';

type Draft = Record<'title' | 'service' | 'commander' | 'summary', string> & { severity: Severity | ''; impact: Impact | ''; urgency: Impact | '' };

/** Declares an incident by hand: it opens like one from an alert, with the route's escalation and runbooks. */
export default function Declare() {
  usePageTitle('Declare an incident');
  const session = useSession();
  const declare = useDeclare();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>({ title: '', severity: 'SEV2', service: '', commander: '', summary: '', impact: '', urgency: '' });
  const errors = fieldErrorsOf(declare.error);
  const set =
    <K extends keyof Draft>(name: K) =>
    (value: Draft[K]) =>
      setDraft((held) => ({ ...held, [name]: value }));

  if (!may(session.data, 'incident.declare')) {
    return (
      <>
        <h1>Declare an incident</h1>
        <p>Your role ({session.data?.role}) reads incidents but does not declare them.</p>
      </>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(draft).filter(([, value]) => value.trim() !== '')) as unknown as DeclareIncident;
    declare.mutate(body, { onSuccess: ({ id }) => void navigate(`/incidents/${id}`) });
  };

  return (
    <>
      <h1>Declare an incident</h1>
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Title" value={draft.title} onChange={set('title')} error={errors.title} required hint="One line, for responders: what is broken." />
        <SelectField label="Severity" value={draft.severity} options={SEVERITIES} onChange={set('severity')} error={errors.severity} required hint="SEV0 is the worst." />
        <TextField label="Service" value={draft.service} onChange={set('service')} error={errors.service} hint="Picks the route: escalation policy and runbooks." />
        <TextField label="Commander" value={draft.commander} onChange={set('commander')} error={errors.commander} />
        <TextArea label="Summary" value={draft.summary} onChange={set('summary')} error={errors.summary} rows={4} />
        <SelectField label="Impact" value={draft.impact} options={LEVELS} empty="From the route" onChange={set('impact')} error={errors.impact} />
        <SelectField label="Urgency" value={draft.urgency} options={LEVELS} empty="From the route" onChange={set('urgency')} error={errors.urgency} />
        {declare.isError ? <ErrorNotice error={declare.error} title="Not declared" /> : null}
        <div className="button-row">
          <button type="submit" disabled={declare.isPending}>
            {declare.isPending ? 'Declaring…' : 'Declare'}
          </button>
          <Link to="/incidents">Cancel</Link>
        </div>
      </form>
    </>
  );
}
