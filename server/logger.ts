// One pino logger; modules take a child. Never log personal data: names, NHS numbers, notes, contact details.
import { pino, type Logger, type LevelWithSilent } from 'pino'

let root: Logger = pino({
  level: 'info',
  base: undefined,
  redact: {
    paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.email'],
    censor: '[redacted]',
  },
})

export function configureLogger(level: LevelWithSilent): void {
  root.level = level
}

export function logger(): Logger {
  return root
}

export function createLogger(module: string): Logger {
  return root.child({ module })
}

/** For tests that need to capture log lines. */
export function replaceRootLogger(next: Logger): void {
  root = next
}
