/** `firebreak oncall` and `firebreak schedules …`: who is on call, schedules and overrides. */
import type { Command } from 'commander';
import type { OnCall, Override, ScheduleList } from '../api-types';
import { action } from '../cli';
import { parseTime } from '../inputs';
import { time } from '../output';

export function registerOncallCommands(program: Command): void {
  program
    .command('oncall')
    .description('who is on call, on every schedule or one, now or at any moment')
    .option('--at <time>', 'ISO time with a zone, now, or +8h / -30m / +2d')
    .option('--schedule <id>', 'only this schedule')
    .action(
      action<{ at?: string; schedule?: string }>(async (cli, options) => {
        const answer = await cli.api.get<OnCall>('/v1/oncall', {
          at: options.at === undefined ? undefined : parseTime(options.at, '--at'),
          schedule: options.schedule,
        });
        if (cli.out.json) return cli.out.data(answer);
        cli.out.table(
          ['schedule', 'on call', 'from', 'to', 'source'],
          answer.oncall.map(({ schedule, shift }) => [
            schedule.id,
            shift ? `${shift.responder.name} (${shift.responder.id})` : 'nobody',
            time(shift?.from),
            time(shift?.to),
            shift ? (shift.source.kind === 'override' ? `override ${shift.source.overrideId ?? ''}` : `layer ${shift.source.layer ?? ''}`).trim() : undefined,
          ]),
          { 1: (value) => (value === 'nobody' ? 'red' : undefined) },
        );
      }),
    );

  const schedules = program.command('schedules').alias('schedule').description('on-call schedules and their overrides');
  schedules
    .command('ls')
    .description('the schedules: id, name, time zone, layers')
    .action(
      action(async (cli) => {
        const list = await cli.api.get<ScheduleList>('/v1/schedules');
        if (cli.out.json) return cli.out.data(list);
        cli.out.table(
          ['id', 'name', 'time zone', 'layers'],
          list.schedules.map((schedule) => [schedule.id, schedule.name, schedule.timeZone, schedule.layers.map((layer) => `${layer.name} (${layer.responders.join(', ')})`).join('; ')]),
        );
      }),
    );
  schedules
    .command('override')
    .description('put a responder on call on a schedule for a while, over every layer')
    .argument('<schedule>')
    .requiredOption('--responder <id>', 'who covers (an id in runbooks/responders.ts)')
    .requiredOption('--from <time>', 'ISO time with a zone, now, or +1h / +2d')
    .requiredOption('--to <time>', 'the same forms; at most 31 days after --from')
    .option('--reason <text>')
    .action(
      action<{ responder: string; from: string; to: string; reason?: string }>(async (cli, options, [schedule]) => {
        const now = Date.now();
        const override = await cli.api.post<Override>(`/v1/schedules/${encodeURIComponent(schedule as string)}/overrides`, {
          responder: options.responder,
          from: parseTime(options.from, '--from', now),
          to: parseTime(options.to, '--to', now),
          reason: options.reason,
        });
        if (cli.out.json) return cli.out.data(override);
        cli.out.line(`override ${override.id}: ${override.responder} on call on ${schedule as string} from ${time(override.from)} to ${time(override.to)}`);
      }),
    );
}
