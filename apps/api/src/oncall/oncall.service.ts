import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { onCallAt, renderShifts } from '../../../../core/model/oncall/schedule';
import type { Override, Schedule, Shift } from '../../../../core/model/oncall/types';
import { overrideIssues, SCHEDULE_OVERRIDE_LIMITS } from '../../../../core/model/schedule-overrides';
import type { Config } from '../../../../core/schemas/config';
import {
  type CalendarQuery,
  type CreateOverride,
  type Notifications,
  type OnCall,
  type OnCallQuery,
  SCHEDULE_WINDOWS,
  type ScheduleDetail,
  type ScheduleSummary,
  type ScheduleWindowQuery,
  type ShiftView,
  windowOf,
} from '../../../../core/schemas/oncall-api';
import type { OperatorConfig } from '../../../../core/schemas/operator-config';
import { INCIDENT_ID_PATTERN } from '../../../../temporal-client/incident-ids';
import { addOverride, OverrideRefusedError, readOverrides, removeOverride } from '../../../../temporal-client/schedule-overrides';
import { AckSecretService } from '../ack/ack-secret.service';
import type { Principal } from '../auth/principal';
import { NotFoundError, ValidationFailedError } from '../http/failures';
import { IncidentsService } from '../incidents/incidents.service';
import { TemporalService } from '../temporal/temporal.service';
import { CONFIG, OPERATOR_CONFIG } from '../tokens';
import { calendarFeedToken, isCalendarFeedToken, renderCalendar } from './calendar-feed';

/**
 * On call: schedules from the operator's files, overrides from each schedule's entity
 * workflow (read through its query on every request, so a change shows at once), shifts
 * rendered by the pure schedule functions.
 */
@Injectable()
export class OncallService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly incidents: IncidentsService,
    private readonly ackSecret: AckSecretService,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  private schedule(id: string): Schedule {
    const schedule = this.operator.schedules.get(id);
    if (!schedule) throw new NotFoundError('schedule', id);
    return schedule;
  }

  private nameOf = (responderId: string): string => this.operator.responders.get(responderId)?.name ?? responderId;

  private overrides(scheduleId: string): Promise<Override[]> {
    return this.temporal.call("reading a schedule's overrides", (client) => readOverrides(client, { taskQueue: this.temporal.taskQueue, scheduleId }));
  }

  private view(shift: Shift): ShiftView {
    return { responder: { id: shift.responder, name: this.nameOf(shift.responder) }, from: shift.from, to: shift.to, source: shift.source };
  }

  /** Who is on call at `at` (default now) on every schedule, or on `schedule` only. */
  async onCall(query: OnCallQuery): Promise<OnCall> {
    const atMs = query.at ? Date.parse(query.at) : Date.now();
    const schedules = query.schedule ? [this.schedule(query.schedule)] : [...this.operator.schedules.values()];
    const oncall = await Promise.all(
      schedules.map(async (schedule) => {
        const shift = onCallAt(schedule, await this.overrides(schedule.id), atMs);
        return { schedule: { id: schedule.id, name: schedule.name }, shift: shift ? this.view(shift) : null };
      }),
    );
    return { at: new Date(atMs).toISOString(), oncall };
  }

  listSchedules(): { schedules: ScheduleSummary[] } {
    return { schedules: [...this.operator.schedules.values()].map(summary) };
  }

  /** The schedule's shifts over the window (default: now to 14 days ahead), its overrides that have not ended, and its feed. */
  async scheduleWindow(id: string, query: ScheduleWindowQuery): Promise<ScheduleDetail> {
    const schedule = this.schedule(id);
    const nowMs = Date.now();
    const window = checkedWindow(windowOf(query, nowMs, { backDays: 0, aheadDays: SCHEDULE_WINDOWS.shiftsAheadDays }));
    const overrides = await this.overrides(id);
    const token = calendarFeedToken(this.ackSecret.value, id);
    return {
      ...summary(schedule),
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      shifts: renderShifts(schedule, overrides, window.fromMs, window.toMs).map((shift) => this.view(shift)),
      overrides: overrides.filter((override) => Date.parse(override.to) > nowMs),
      calendar: { token, url: `${this.config.publicUrl}/v1/schedules/${encodeURIComponent(id)}/calendar.ics?token=${token}` },
    };
  }

  /**
   * Adds an override once its times and responder check out here (the workflow checks the
   * times again, on its own clock). Answered after the workflow holds it.
   */
  async addOverride(scheduleId: string, body: CreateOverride, principal: Principal): Promise<Override> {
    this.schedule(scheduleId);
    const nowMs = Date.now();
    const issues = [
      ...(this.operator.responders.has(body.responder)
        ? []
        : [{ path: ['responder'], rule: 'unknown_responder', message: `no responder "${body.responder}" in runbooks/responders.ts` }]),
      ...overrideIssues(body, nowMs, nowMs - SCHEDULE_OVERRIDE_LIMITS.fromPastToleranceMs),
    ];
    if (issues.length > 0) throw new ValidationFailedError(issues);
    const override: Override = {
      id: randomUUID(),
      responder: body.responder,
      // Held as instants in UTC, however the request wrote them.
      from: new Date(body.from).toISOString(),
      to: new Date(body.to).toISOString(),
      createdBy: principal.name,
      createdAt: new Date(nowMs).toISOString(),
      ...(body.reason ? { reason: body.reason } : {}),
    };
    try {
      return await this.temporal.call('adding an override', (client) =>
        addOverride(client, { taskQueue: this.temporal.taskQueue, scheduleId, override }),
      );
    } catch (error) {
      throw answerOf(error, override.id);
    }
  }

  async removeOverride(scheduleId: string, overrideId: string, principal: Principal): Promise<void> {
    this.schedule(scheduleId);
    try {
      await this.temporal.call('removing an override', (client) => removeOverride(client, { taskQueue: this.temporal.taskQueue, scheduleId, overrideId, by: principal.name }));
    } catch (error) {
      throw answerOf(error, overrideId);
    }
  }

  /** Whether `token` opens schedule `scheduleId`'s calendar feed. */
  isFeedToken(scheduleId: string, token: string): boolean {
    return isCalendarFeedToken(this.ackSecret.value, scheduleId, token);
  }

  /** The schedule's shifts as iCalendar, by default from 7 days back to 60 ahead. */
  async calendar(scheduleId: string, query: CalendarQuery): Promise<string> {
    const schedule = this.schedule(scheduleId);
    const window = checkedWindow(
      windowOf(query, Date.now(), { backDays: SCHEDULE_WINDOWS.calendarBackDays, aheadDays: SCHEDULE_WINDOWS.calendarAheadDays }),
    );
    const overrides = await this.overrides(scheduleId);
    return renderCalendar({
      schedule,
      shifts: wholeShifts(schedule, overrides, window.fromMs, window.toMs),
      overrides,
      nameOf: this.nameOf,
      publicUrl: this.config.publicUrl,
    });
  }

  /** Every notification of people the incident holds, oldest first. */
  async notifications(incidentId: string): Promise<Notifications> {
    if (!INCIDENT_ID_PATTERN.test(incidentId)) {
      throw new ValidationFailedError([{ path: ['incidentId'], rule: 'incident_id', message: 'must be an incident id such as inc-0123456789ab' }]);
    }
    const incident = await this.incidents.get(incidentId);
    return { incidentId, notifications: incident.notifications ?? [], notificationsDropped: incident.notificationsDropped ?? 0 };
  }
}

function summary(schedule: Schedule): ScheduleSummary {
  return { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone, layers: schedule.layers };
}

function checkedWindow(window: ReturnType<typeof windowOf>): { fromMs: number; toMs: number } {
  if ('issues' in window) throw new ValidationFailedError(window.issues);
  return window;
}

/**
 * The shifts over the window, the first and last ones whole rather than cut at its edges,
 * so a shift keeps its start (and its calendar UID) whichever window a feed is read with.
 */
function wholeShifts(schedule: Schedule, overrides: readonly Override[], fromMs: number, toMs: number): Shift[] {
  const shifts = renderShifts(schedule, overrides, fromMs, toMs);
  const same = (a: Shift, b: Shift | undefined) => b !== undefined && a.responder === b.responder && JSON.stringify(a.source) === JSON.stringify(b.source);
  const first = shifts[0];
  if (first && Date.parse(first.from) === fromMs) {
    const whole = onCallAt(schedule, overrides, fromMs);
    if (same(first, whole)) shifts[0] = { ...first, from: whole!.from };
  }
  const last = shifts[shifts.length - 1];
  if (last && Date.parse(last.to) === toMs) {
    const whole = onCallAt(schedule, overrides, toMs - 1);
    if (same(last, whole)) shifts[shifts.length - 1] = { ...shifts[shifts.length - 1], to: whole!.to };
  }
  return shifts;
}

/** The workflow's refusal as the API answers it. */
function answerOf(error: unknown, overrideId: string): unknown {
  if (!(error instanceof OverrideRefusedError)) return error;
  if (error.kind === 'not-found') return new NotFoundError('override', overrideId, { cause: error });
  if (error.kind === 'full') return new ConflictException(error.message);
  return new ValidationFailedError(error.issue ? [error.issue] : [{ path: [], rule: 'override', message: error.message }]);
}
