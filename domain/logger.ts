/**
 * The logger every layer may take: a type only, so domain/ stays free of any logging library
 * (docs/architecture.md, "Layers"). runtime/logger.ts builds the pino logger that implements it.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: string): boolean;
}
