import { pino, stdSerializers, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import type { SecretRedactor } from '../secrets/secret-store';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Every log line passes through it; share the instance the secret store remembers values in. */
  redactor: SecretRedactor;
  /** Lowest level written; defaults to `info`. */
  level?: LevelWithSilent;
  /** A file path (created with its folders, appended to) or a stream; defaults to stdout. */
  destination?: string | DestinationStream | NodeJS.WritableStream;
}

/**
 * A pino logger that cannot write a secret. Redaction happens three times, each catching what the one
 * before cannot: every argument of every log call is deep-redacted (message, fields, nested errors and
 * their causes, keeping structure so JSON escaping cannot hide a value); the `err` serialiser's output is
 * redacted (properties read through getters when serialising); and the final line is redacted, which also
 * covers child-logger bindings and `msgPrefix`, which pino serialises without calling any log hook.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { redactor } = options;
  const destination =
    typeof options.destination === 'string'
      ? pino.destination({ dest: options.destination, mkdir: true, sync: true })
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  const serializeError = (error: Error) => redactor.redactDeep(stdSerializers.err(error));
  return pino(
    {
      level: options.level ?? 'info',
      // `error` too: without a serialiser pino writes an Error under any other key as `{}`, losing its message.
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactor.redactDeep(args));
        },
        streamWrite: (line) => redactor.redact(line),
      },
    },
    destination,
  );
}
