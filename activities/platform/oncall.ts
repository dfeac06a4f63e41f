/**
 * Resolves an escalation level's targets to people at the moment it is paged: `user:<id>`
 * names a responder, `schedule:<id>` whoever is on call there then (layers and overrides
 * applied), and `pagerduty:` and plain targets go to the paging capability as written. The
 * result is recorded in the incident's history, so a replay reaches the same people.
 */
import type { Client } from '@temporalio/client';
import type { OncallActivities, ResolveLevelInput } from '../../core/model/capabilities/platform-activities';
import type { ResolvedLevel, ResolvedPerson, Responder, Schedule } from '../../core/model/oncall/types';
import { onCallAt } from '../../core/model/oncall/schedule';
import { parseTarget } from '../../core/model/oncall/targets';
import { readOverrides } from '../../temporal-client/schedule-overrides';

export interface OncallDirectory {
  responders: ReadonlyMap<string, Responder>;
  schedules: ReadonlyMap<string, Schedule>;
}

export function createOncallActivities(client: Client, taskQueue: string, directory: OncallDirectory): OncallActivities {
  const person = (responder: Responder, via: string): ResolvedPerson => ({
    responder: responder.id,
    name: responder.name,
    via,
    rules: responder.rules.map((rule) => ({ method: rule.method, afterMinutes: rule.afterMinutes })),
  });
  return {
    async oncallResolve({ targets, at }: ResolveLevelInput): Promise<ResolvedLevel> {
      const atMs = Date.parse(at);
      const resolved: ResolvedLevel = { people: [], pagers: [], empty: [] };
      for (const text of targets) {
        const target = parseTarget(text);
        if (!target || target.kind === 'pager' || target.kind === 'pagerduty') {
          resolved.pagers.push(text);
          continue;
        }
        if (target.kind === 'user') {
          const responder = directory.responders.get(target.id);
          // Start-up checks every user target; one missing here was removed since the incident opened.
          if (responder) resolved.people.push(person(responder, text));
          else resolved.empty.push(text);
          continue;
        }
        const schedule = directory.schedules.get(target.id);
        const shift = schedule && onCallAt(schedule, await readOverrides(client, { taskQueue, scheduleId: schedule.id }), atMs);
        const responder = shift && directory.responders.get(shift.responder);
        if (responder) resolved.people.push(person(responder, text));
        else resolved.empty.push(text);
      }
      return resolved;
    },
  };
}
