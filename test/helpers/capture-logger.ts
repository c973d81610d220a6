import { LoggerService } from '@nestjs/common';

export interface LogEntry {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
}

/** A LoggerService that records every line, for assertions on what the host logs. */
export class CaptureLogger implements LoggerService {
  readonly entries: LogEntry[] = [];

  log(message: unknown): void {
    this.#push('log', message);
  }
  error(message: unknown): void {
    this.#push('error', message);
  }
  warn(message: unknown): void {
    this.#push('warn', message);
  }
  debug(message: unknown): void {
    this.#push('debug', message);
  }
  verbose(message: unknown): void {
    this.#push('verbose', message);
  }
  fatal(message: unknown): void {
    this.#push('fatal', message);
  }

  /** Messages at `level` (all levels when omitted). */
  messages(level?: LogEntry['level']): string[] {
    return this.entries.filter((e) => !level || e.level === level).map((e) => e.message);
  }

  #push(level: LogEntry['level'], message: unknown): void {
    this.entries.push({ level, message: String(message) });
  }
}
