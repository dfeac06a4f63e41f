import { defineSchedules } from '../core/schemas/oncall-config';

/**
 * On-call schedules: `schedule:<id>` in a policy reaches whoever is on call at that moment.
 * A schedule is layers of rotations in its time zone; a later layer covers the ones before
 * it wherever it is on call (inside its restrictions, if it has any), and overrides made
 * through the API cover every layer. Shifts of days and weeks hand over at `handoff` local
 * time whatever daylight saving does; hours are elapsed time. See docs/oncall.md.
 */
export default defineSchedules([
  {
    id: 'primary',
    name: 'Primary on call',
    timeZone: 'Europe/Berlin',
    layers: [
      {
        // Around the clock: one person a week, handing over on Monday at 09:00. The base
        // layer has no restrictions and started in the past, so someone is always on call.
        name: 'weekly',
        responders: ['dana', 'sam', 'priya'],
        start: '2025-01-06',
        handoff: '09:00',
        shift: { every: 1, unit: 'weeks' },
      },
      {
        // Office hours on weekdays go to a daily rotation, so the week's person can sleep
        // on the nights after a busy day.
        name: 'office-hours',
        responders: ['sam', 'priya'],
        start: '2025-01-06',
        handoff: '09:00',
        shift: { every: 1, unit: 'days' },
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      },
    ],
  },
  {
    id: 'secondary',
    name: 'Secondary on call',
    timeZone: 'Europe/Berlin',
    layers: [
      {
        // Next week's primary backs up this week's.
        name: 'weekly',
        responders: ['sam', 'priya', 'dana'],
        start: '2025-01-06',
        handoff: '09:00',
        shift: { every: 1, unit: 'weeks' },
      },
    ],
  },
]);
