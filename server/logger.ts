// One pino logger; modules take a child. Never log personal data: names, NHS numbers, notes, contact details.
// Never log a secret: single-use links carry theirs in the path, so every path and error text is passed through
// redactSecrets before it is written.
import { pino, stdSerializers, type Logger, type LevelWithSilent } from 'pino'
import { paths } from './paths'

/** Each path template with a secret segment, as a pattern that keeps the prefix and matches the secret. */
const SECRET_PATHS = Object.values(paths)
  .filter((template) => template.includes('/:token'))
  .map((template) => template.slice(0, template.indexOf('/:token')).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
const SECRET_SEGMENT = new RegExp(`(${SECRET_PATHS.join('|')})/[^/?#\\s"'<>]+`, 'g')

/** Replaces the secret in every single-use link path (invitations, resets, feedback, listing checks) in a text. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_SEGMENT, '$1/[redacted]')
}

export function errorWithoutSecrets(error: Error): Record<string, unknown> {
  const out = stdSerializers.err(error) as unknown as Record<string, unknown>
  for (const key of ['message', 'stack'] as const) {
    if (typeof out[key] === 'string') out[key] = redactSecrets(out[key])
  }
  return out
}

/** Every line goes to standard output, or to the taps while there are any (a test reading what a run logged). */
const taps = new Set<(line: string) => void>()
const stdout = pino.destination({ dest: 1, sync: true })
const destination = {
  write(line: string) {
    if (taps.size === 0) return stdout.write(line)
    for (const tap of taps) tap(line)
    return true
  },
}

let root: Logger = pino(
  {
    level: 'info',
    base: undefined,
    serializers: { err: errorWithoutSecrets },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.email'],
      censor: '[redacted]',
    },
  },
  destination,
)
const children: Logger[] = []

/** Sets the level of the root and of every module's logger (a child keeps the level it was made with otherwise). */
export function configureLogger(level: LevelWithSilent): void {
  root.level = level
  for (const child of children) child.level = level
}

/** Sends every line logged to `write` instead of standard output, until the returned function is called. */
export function tapLogs(write: (line: string) => void): () => void {
  taps.add(write)
  return () => taps.delete(write)
}

export function logger(): Logger {
  return root
}

export function createLogger(module: string): Logger {
  const child = root.child({ module })
  children.push(child)
  return child
}

/** For tests that need to capture log lines. */
export function replaceRootLogger(next: Logger): void {
  root = next
}
