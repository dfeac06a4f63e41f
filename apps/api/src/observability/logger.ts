import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from '../../../../temporal-client/request-context';
import { createLogFormatter } from './log-format';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** `service` on every line: `firebreak-api` or `firebreak-worker`. */
  service: string;
  /** `LOG_LEVEL`. */
  level: LogLevel;
  /** Secret values never to write (see secrets.ts). */
  secrets?: Iterable<string>;
  /** Where lines go; default standard output. Tests pass their own. */
  destination?: DestinationStream;
  /** The longest string field written; see log-format.ts. */
  maxFieldLength?: number;
}

/**
 * A process's JSON logger: one object per line with `level`, `time`, `service`, `msg`, the
 * `requestId` of the request the line is logged for, and the line's own fields. Every line
 * passes through the log formatter (secrets redacted, then long fields cut) as it is written.
 */
export function createLogger({ service, level, secrets, destination, maxFieldLength }: LoggerOptions): Logger {
  const formatter = createLogFormatter({ secrets, maxFieldLength });
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // A request's child loggers bind the same id: the formatter reads each line as JSON, so one key is written.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
      hooks: { streamWrite: (line) => formatter.formatLine(line) },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
