/**
 * Every read and write the console makes, as TanStack Query hooks: one query key per
 * resource, so a change invalidates exactly what it changed.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  CreateOverride,
  DeclareIncident,
  ExecutionCreated,
  ExecutionListQuery,
  ExecutionPage,
  ExecutionView,
  HeartbeatList,
  IncidentAction,
  IncidentActionResult,
  IncidentPage,
  IncidentSnapshot,
  IncidentSummary,
  LaunchRunbook,
  ListIncidentsQuery,
  OnCall,
  RunbookCatalog,
  ScheduleDetail,
  ScheduleSummary,
} from './types';

/** How often lists refresh themselves while shown. */
export const LIST_REFRESH_MS = 5_000;
/** How often a running execution is read again. */
export const EXECUTION_REFRESH_MS = 1_000;

export const keys = {
  incidents: ['incidents'] as const,
  incident: (id: string) => ['incident', id] as const,
  runbooks: ['runbooks'] as const,
  executions: ['executions'] as const,
  execution: (id: string) => ['execution', id] as const,
  heartbeats: ['heartbeats'] as const,
  oncall: ['oncall'] as const,
  schedules: ['schedules'] as const,
};

// ---- incidents ---------------------------------------------------------------------------

export function useIncidentPage(query: ListIncidentsQuery, enabled = true) {
  return useQuery({
    queryKey: [...keys.incidents, 'page', query],
    enabled,
    queryFn: ({ signal }) => api<IncidentPage>('/v1/incidents', { query, signal }),
    refetchInterval: LIST_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

/** A title search over the newest incidents that match the filters: the API lists, the console matches titles. */
export interface IncidentSearch {
  matches: IncidentSummary[];
  /** Incidents looked at. */
  scanned: number;
  /** More incidents exist past the ones looked at. */
  more: boolean;
}

/** Incidents looked at per search, at most: four pages of the API's largest size. */
export const SEARCH_SCAN_LIMIT = 2_000;
const SEARCH_PAGE_SIZE = 500;

export function useIncidentSearch(query: Omit<ListIncidentsQuery, 'pageToken' | 'pageSize'>, text: string) {
  const needle = text.trim().toLowerCase();
  return useQuery({
    queryKey: [...keys.incidents, 'search', query, needle],
    enabled: needle !== '',
    queryFn: async ({ signal }): Promise<IncidentSearch> => {
      const matches: IncidentSummary[] = [];
      let scanned = 0;
      let pageToken: string | undefined;
      do {
        const page = await api<IncidentPage>('/v1/incidents', { query: { ...query, pageSize: SEARCH_PAGE_SIZE, pageToken }, signal });
        scanned += page.incidents.length;
        matches.push(...page.incidents.filter((incident) => (incident.title ?? '').toLowerCase().includes(needle)));
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken && scanned < SEARCH_SCAN_LIMIT);
      return { matches, scanned, more: pageToken !== undefined };
    },
    refetchInterval: LIST_REFRESH_MS * 3,
    placeholderData: keepPreviousData,
  });
}

/** One incident's query: the page's, and what main.tsx starts before the session is read. */
export const incidentQuery = (id: string) => ({
  queryKey: keys.incident(id),
  queryFn: ({ signal }: { signal: AbortSignal }) => api<IncidentSnapshot>(`/v1/incidents/${encodeURIComponent(id)}`, { signal }),
});

export function useIncident(id: string) {
  return useQuery({
    ...incidentQuery(id),
    // The timeline is live over SSE, which also refreshes this; polling is the fallback.
    refetchInterval: 10_000,
  });
}

export function useDeclare() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DeclareIncident) => api<{ id: string }>('/v1/incidents', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.incidents }),
  });
}

export function useIncidentAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: IncidentAction) =>
      api<IncidentActionResult>(`/v1/incidents/${encodeURIComponent(id)}/actions`, { method: 'POST', body: action }),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: keys.incident(id) }), client.invalidateQueries({ queryKey: keys.incidents })]);
    },
  });
}

export const postmortemUrl = (id: string) => `/v1/incidents/${encodeURIComponent(id)}/postmortem`;
export const eventsUrl = (id: string) => `/v1/incidents/${encodeURIComponent(id)}/events`;

// ---- runbooks and executions -------------------------------------------------------------

export function useRunbooks() {
  return useQuery({
    queryKey: keys.runbooks,
    queryFn: ({ signal }) => api<RunbookCatalog>('/v1/runbooks', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useLaunch(runbookId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LaunchRunbook) =>
      api<ExecutionCreated>(`/v1/runbooks/${encodeURIComponent(runbookId)}/executions`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.executions }),
  });
}

const isActive = (execution: ExecutionView | undefined) =>
  !execution || execution.status === 'running' || execution.status === 'waiting-approval' || execution.status === 'compensating';

export function useExecution(id: string | undefined) {
  return useQuery({
    queryKey: keys.execution(id ?? ''),
    enabled: id !== undefined,
    queryFn: ({ signal }) => api<ExecutionView>(`/v1/executions/${encodeURIComponent(id ?? '')}`, { signal }),
    refetchInterval: (query) => (isActive(query.state.data) ? EXECUTION_REFRESH_MS : false),
  });
}

export function useExecutionPage(query: ExecutionListQuery) {
  return useQuery({
    queryKey: [...keys.executions, 'page', query],
    queryFn: ({ signal }) => api<ExecutionPage>('/v1/executions', { query, signal }),
    refetchInterval: LIST_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

export function useDecide(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ approve, comment }: { approve: boolean; comment?: string }) =>
      api<unknown>(`/v1/executions/${encodeURIComponent(id)}/${approve ? 'approve' : 'reject'}`, {
        method: 'POST',
        body: comment ? { comment } : {},
      }),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: keys.execution(id) }), client.invalidateQueries({ queryKey: keys.executions })]);
    },
  });
}

export function useCancel(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<unknown>(`/v1/executions/${encodeURIComponent(id)}/cancel`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.execution(id) }),
  });
}

// ---- heartbeats and on call --------------------------------------------------------------

export function useHeartbeats() {
  return useQuery({
    queryKey: keys.heartbeats,
    queryFn: ({ signal }) => api<HeartbeatList>('/v1/heartbeats', { signal }),
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useOnCall() {
  return useQuery({
    queryKey: keys.oncall,
    queryFn: ({ signal }) => api<OnCall>('/v1/oncall', { signal }),
    refetchInterval: 60_000,
  });
}

export function useSchedules() {
  return useQuery({
    queryKey: keys.schedules,
    queryFn: ({ signal }) => api<{ schedules: ScheduleSummary[] }>('/v1/schedules', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useSchedule(id: string) {
  return useQuery({
    queryKey: [...keys.schedules, id],
    queryFn: ({ signal }) => api<ScheduleDetail>(`/v1/schedules/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: 60_000,
  });
}

export function useAddOverride(scheduleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOverride) => api<unknown>(`/v1/schedules/${encodeURIComponent(scheduleId)}/overrides`, { method: 'POST', body }),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: keys.schedules }), client.invalidateQueries({ queryKey: keys.oncall })]);
    },
  });
}

export function useRemoveOverride(scheduleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (overrideId: string) =>
      api<void>(`/v1/schedules/${encodeURIComponent(scheduleId)}/overrides/${encodeURIComponent(overrideId)}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: keys.schedules }), client.invalidateQueries({ queryKey: keys.oncall })]);
    },
  });
}
