import { useState, type FormEvent } from 'react';
import { useAddOverride, useOnCall, useRemoveOverride, useSchedule, useSchedules } from '../api/queries';
import { may, useSession } from '../api/session';
import type { ScheduleSummary } from '../api/types';
import { ErrorNotice, fieldErrorsOf, Loading, SelectField, TextField, Time, usePageTitle } from '../components/ui';
import { instantOf, localInputOf } from '../lib/format';

/** Shifts shown per schedule; the calendar feed has them all. */
const SHIFTS_SHOWN = 30;
const HOUR_MS = 60 * 60 * 1000;

/** Who is on call now on every schedule; each schedule's coming shifts and overrides; adding an override. */
export default function OnCall() {
  usePageTitle('On call now');
  const oncall = useOnCall();
  const schedules = useSchedules();
  return (
    <>
      <h1>On call now</h1>
      <ErrorNotice error={oncall.error} title="Who is on call could not be read" />
      {oncall.isPending ? <Loading what="who is on call" /> : null}
      {oncall.data ? (
        oncall.data.oncall.length === 0 ? (
          <p className="empty">No schedules in runbooks/schedules.ts.</p>
        ) : (
          <div className="table-wrap">
            <table className="list">
              <caption className="visually-hidden">Who is on call now, by schedule</caption>
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">On call</th>
                  <th scope="col">Until</th>
                  <th scope="col">Because of</th>
                </tr>
              </thead>
              <tbody>
                {oncall.data.oncall.map(({ schedule, shift }) => (
                  <tr key={schedule.id}>
                    <td>{schedule.name}</td>
                    <td>{shift ? shift.responder.name : <span className="badge status-triggered">nobody</span>}</td>
                    <td>{shift ? <Time at={shift.to} /> : '—'}</td>
                    <td>{shift ? (shift.source.kind === 'override' ? 'an override' : `layer ${shift.source.layer ?? ''}`) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <ErrorNotice error={schedules.error} title="Schedules could not be read" />
      {schedules.data?.schedules.map((schedule) => <Schedule key={schedule.id} summary={schedule} />)}
    </>
  );
}

function Schedule({ summary }: { summary: ScheduleSummary }) {
  const session = useSession();
  const detail = useSchedule(summary.id);
  const remove = useRemoveOverride(summary.id);
  const headingId = `schedule-${summary.id}`;
  const shifts = detail.data?.shifts ?? [];
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{summary.name}</h2>
      <p className="muted">
        Times in your zone; the schedule keeps {summary.timeZone}. Layers: {summary.layers.map((layer) => layer.name).join(', ')}.
      </p>
      <ErrorNotice error={detail.error} title="Shifts could not be read" />
      {detail.isPending ? <Loading what="shifts" /> : null}
      {shifts.length ? (
        <div className="table-wrap">
          <table className="list">
            <caption>Shifts, next 14 days{shifts.length > SHIFTS_SHOWN ? ` (first ${SHIFTS_SHOWN} of ${shifts.length})` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {shifts.slice(0, SHIFTS_SHOWN).map((shift) => (
                <tr key={`${shift.from}-${shift.responder.id}`}>
                  <td>{shift.responder.name}</td>
                  <td>
                    <Time at={shift.from} />
                  </td>
                  <td>
                    <Time at={shift.to} />
                  </td>
                  <td>{shift.source.kind === 'override' ? 'override' : `layer ${shift.source.layer ?? ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {detail.data?.overrides.length ? (
        <>
          <h3>Overrides</h3>
          <ul>
            {detail.data.overrides.map((override) => (
              <li key={override.id}>
                {override.responder}: <Time at={override.from} /> to <Time at={override.to} />
                {override.reason ? ` (${override.reason})` : ''} <span className="muted">by {override.createdBy}</span>{' '}
                {may(session.data, 'schedule.override') ? (
                  <button type="button" className="secondary small" disabled={remove.isPending} onClick={() => remove.mutate(override.id)}>
                    Remove<span className="visually-hidden"> the override for {override.responder}</span>
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {remove.isError ? <ErrorNotice error={remove.error} title="Not removed" /> : null}
        </>
      ) : null}
      {may(session.data, 'schedule.override') ? <AddOverride summary={summary} /> : null}
    </section>
  );
}

function AddOverride({ summary }: { summary: ScheduleSummary }) {
  const add = useAddOverride(summary.id);
  const detail = useSchedule(summary.id);
  const responders = [...new Set(summary.layers.flatMap((layer) => layer.responders))];
  // Schedules list responders by id; their shifts say their names.
  const names = new Map(detail.data?.shifts.map((shift) => [shift.responder.id, shift.responder.name]));
  const [responder, setResponder] = useState(responders[0] ?? '');
  const [from, setFrom] = useState(() => localInputOf(new Date()));
  const [to, setTo] = useState(() => localInputOf(new Date(Date.now() + 8 * HOUR_MS)));
  const [reason, setReason] = useState('');
  const errors = fieldErrorsOf(add.error);
  const headingId = `override-${summary.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { responder, from: instantOf(from) ?? '', to: instantOf(to) ?? '', ...(reason.trim() ? { reason: reason.trim() } : {}) },
      { onSuccess: () => setReason('') },
    );
  };
  return (
    <form className="form inline-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId}>
        Add an override<span className="visually-hidden"> to {summary.name}</span>
      </h3>
      <SelectField
        label="Responder"
        value={responder}
        options={responders}
        optionLabel={(id) => (names.has(id) ? `${names.get(id)} (${id})` : id)}
        onChange={setResponder}
        error={errors.responder}
        required
      />
      <TextField label="From" type="datetime-local" value={from} onChange={setFrom} error={errors.from} required />
      <TextField label="To" type="datetime-local" value={to} onChange={setTo} error={errors.to} required />
      <TextField label="Reason" value={reason} onChange={setReason} error={errors.reason} />
      <button type="submit" disabled={add.isPending}>
        Add override
      </button>
      <p role="status">{add.isPending ? 'Sending…' : add.isSuccess ? 'Override added.' : ''}</p>
      {add.isError ? <ErrorNotice error={add.error} title="Not added" /> : null}
    </form>
  );
}
