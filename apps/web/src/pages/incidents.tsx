import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { INCIDENT_STATUSES, SEVERITIES } from '../../../../core/model/incident-model';
import { SEARCH_SCAN_LIMIT, useIncidentPage, useIncidentSearch } from '../api/queries';
import { may, useSession } from '../api/session';
import type { IncidentStatus, IncidentSummary, ListIncidentsQuery, Severity } from '../api/types';
import { Age, ErrorNotice, fieldErrorsOf, FilterActions, Loading, SelectField, SeverityBadge, StatusBadge, TextField, usePageTitle } from '../components/ui';
import { markReady } from '../lib/ready';

/** Rows on one page: the list never renders more than this at once, however many incidents are open. */
export const PAGE_SIZE = 50;

/**
 * The incidents, newest open ones first (the API lists running incident workflows before
 * closed ones), refreshed every few seconds; filters in the address, so a filtered view can
 * be shared; paging through history with the API's page tokens.
 */
export default function Incidents() {
  usePageTitle('Incidents');
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const filters: Omit<ListIncidentsQuery, 'pageToken' | 'pageSize'> = {
    status: (params.get('status') as IncidentStatus | null) ?? undefined,
    severity: (params.get('severity') as Severity | null) ?? undefined,
    service: params.get('service') ?? undefined,
  };
  const search = params.get('q') ?? '';
  // Where the reader is in these filters' pages: the page tokens up to this page (Temporal
  // pages forward only), or the page of search matches. New filters start at the first page.
  const filterKey = params.toString();
  const [paging, setPaging] = useState<{ key: string; tokens: Array<string | undefined>; searchPage: number }>({ key: filterKey, tokens: [undefined], searchPage: 0 });
  const { tokens, searchPage } = paging.key === filterKey ? paging : { tokens: [undefined], searchPage: 0 };
  const setTokens = (change: (held: Array<string | undefined>) => Array<string | undefined>) =>
    setPaging({ key: filterKey, tokens: change(tokens), searchPage });
  const setSearchPage = (change: (page: number) => number) => setPaging({ key: filterKey, tokens, searchPage: change(searchPage) });

  const inSearch = search.trim() !== '';
  const listing = useIncidentPage({ ...filters, pageSize: PAGE_SIZE, pageToken: tokens[tokens.length - 1] }, !inSearch);
  const searching = useIncidentSearch(filters, search);

  const rows: IncidentSummary[] | undefined = inSearch
    ? searching.data?.matches.slice(searchPage * PAGE_SIZE, (searchPage + 1) * PAGE_SIZE)
    : listing.data?.incidents;
  const error = inSearch ? searching.error : listing.error;
  const hasNext = inSearch ? (searching.data?.matches.length ?? 0) > (searchPage + 1) * PAGE_SIZE : !!listing.data?.nextPageToken;
  const hasPrevious = inSearch ? searchPage > 0 : tokens.length > 1;
  const pageNumber = inSearch ? searchPage + 1 : tokens.length;

  useEffect(() => {
    if (rows) markReady('incidents');
  }, [rows]);

  return (
    <>
      <div className="page-head">
        <h1>Incidents</h1>
        {may(session.data, 'incident.declare') ? (
          <Link className="button" to="/incidents/new">
            Declare an incident
          </Link>
        ) : null}
      </div>
      <Filters
        key={filterKey}
        initial={{ ...filters, q: search }}
        error={error}
        onApply={(next) => {
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries(next)) if (value) query.set(name, value);
          setParams(query);
        }}
      />
      {error ? <ErrorNotice error={error} title="Incidents could not be read" /> : null}
      {inSearch && searching.data ? (
        <p className="muted" role="status">
          {searching.data.matches.length} {searching.data.matches.length === 1 ? 'title matches' : 'titles match'} among the newest{' '}
          {searching.data.scanned} incidents{searching.data.more ? ` (searches look at ${SEARCH_SCAN_LIMIT} at most; narrow the filters to reach older ones)` : ''}.
        </p>
      ) : null}
      {!rows ? (
        error ? null : <Loading what="incidents" />
      ) : (
        <IncidentTable rows={rows} />
      )}
      <nav className="pager" aria-label="Pages of incidents">
        <button
          type="button"
          className="secondary"
          disabled={!hasPrevious}
          onClick={() => (inSearch ? setSearchPage((page) => page - 1) : setTokens((held) => held.slice(0, -1)))}
        >
          Newer
        </button>
        <span>Page {pageNumber}</span>
        <button
          type="button"
          className="secondary"
          disabled={!hasNext}
          onClick={() => (inSearch ? setSearchPage((page) => page + 1) : setTokens((held) => [...held, listing.data?.nextPageToken ?? undefined]))}
        >
          Older
        </button>
      </nav>
    </>
  );
}

interface FilterValues {
  status?: string;
  severity?: string;
  service?: string;
  q?: string;
}

function Filters({ initial, onApply, error }: { initial: FilterValues; onApply: (values: FilterValues) => void; error: unknown }) {
  const [values, setValues] = useState<FilterValues>(initial);
  const errors = fieldErrorsOf(error);
  const set = (name: keyof FilterValues) => (value: string) => setValues((held) => ({ ...held, [name]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(values);
  };
  return (
    <form className="filters" role="search" aria-label="Filter incidents" onSubmit={submit} noValidate>
      <TextField label="Title contains" type="search" name="q" value={values.q ?? ''} onChange={set('q')} />
      <SelectField label="Status" name="status" value={(values.status ?? '') as IncidentStatus | ''} options={INCIDENT_STATUSES} empty="Any" onChange={set('status')} error={errors.status} />
      <SelectField label="Severity" name="severity" value={(values.severity ?? '') as Severity | ''} options={SEVERITIES} empty="Any" onChange={set('severity')} error={errors.severity} />
      <TextField label="Service" name="service" value={values.service ?? ''} onChange={set('service')} error={errors.service} />
      <FilterActions
        onClear={() => {
          setValues({});
          onApply({});
        }}
      />
    </form>
  );
}

function IncidentTable({ rows }: { rows: IncidentSummary[] }) {
  if (rows.length === 0) return <p className="empty">No incidents match.</p>;
  return (
    <div className="table-wrap">
      <table className="list">
        <caption className="visually-hidden">Incidents, open first, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Service</th>
            <th scope="col">Commander</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((incident) => (
            <tr key={incident.id} className={incident.running ? undefined : 'ended'}>
              <td>
                <SeverityBadge severity={incident.severity} />
              </td>
              <td>
                <Link to={`/incidents/${incident.id}`}>{incident.title ?? incident.id}</Link>
              </td>
              <td>
                <StatusBadge status={incident.running ? incident.status : 'closed'} />
              </td>
              <td>{incident.service ?? '—'}</td>
              <td>{incident.commander ?? '—'}</td>
              <td>
                <Age at={incident.openedAt} suffix="" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
