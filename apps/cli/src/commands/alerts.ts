/** `firebreak alerts send`: one alert through the generic alert route. */
import { Option, type Command } from 'commander';
import type { AlertAccepted } from '../api-types';
import { action } from '../cli';
import { collect, stringMap } from '../inputs';

interface SendOptions {
  summary: string;
  severity?: string;
  service?: string;
  label?: string[];
  annotation?: string[];
  dedupKey?: string;
  source: string;
  resolved?: boolean;
  url?: string;
}

export function registerAlertCommands(program: Command): void {
  const alerts = program.command('alerts').description('send alerts');
  alerts
    .command('send')
    .description('send one alert (POST /v1/alerts); it lands on the open incident of its dedup key, or opens one')
    .requiredOption('--summary <text>', 'one line saying what is wrong')
    .option('--severity <severity>', 'SEV0-SEV4, or critical, high, error, major, warning, medium, minor, low, info')
    .option('--service <name>', 'the service affected')
    .option('--label <key=value>', 'a label (repeat for more); with the source, labels make the default dedup key', collect)
    .option('--annotation <key=value>', 'an annotation: free text such as a description or a link (repeat for more)', collect)
    .option('--dedup-key <key>', 'alerts with the same key land on the same open incident')
    .option('--source <name>', 'the sending system', 'cli')
    .addOption(new Option('--resolved', 'say the problem has ended (status resolved) instead of firing'))
    .option('--url <url>', 'a link to the alert in its own system')
    .action(
      action<SendOptions>(async (cli, options) => {
        const accepted = await cli.api.post<AlertAccepted>(
          '/v1/alerts',
          {
            source: options.source,
            summary: options.summary,
            status: options.resolved ? 'resolved' : 'firing',
            severity: options.severity,
            service: options.service,
            dedupKey: options.dedupKey,
            labels: stringMap(options.label, '--label'),
            annotations: stringMap(options.annotation, '--annotation'),
            externalUrl: options.url,
          },
          { idempotent: true },
        );
        if (cli.out.json) return cli.out.data(accepted);
        const where = accepted.incidentId ? ` on ${accepted.incidentId}` : '';
        cli.out.line(`alert ${accepted.status}${where}${accepted.reason ? ` (${accepted.reason})` : ''}`);
      }),
    );
}
