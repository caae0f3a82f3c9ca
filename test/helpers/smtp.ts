// A real SMTP server in-process (smtp-server) that keeps every message, so tests can read mail and follow its links.
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  to: string[]
  subject: string
  text: string
  raw: string
}

/** Decodes a quoted-printable body (soft line breaks and =XX escapes). */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!
    if (c === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...Buffer.from(c, 'utf8'))
  }
  return Buffer.from(bytes).toString('utf8')
}

export function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  let body = raw.slice(split + 4)
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? ''
  const encoding = header('Content-Transfer-Encoding').toLowerCase()
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body)
  else if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  return { to, subject: header('Subject'), text: body.replace(/\r\n/g, '\n').trim(), raw }
}

export interface TestSmtp {
  readonly url: string
  readonly messages: ReceivedMail[]
  /** The messages sent to one address. */
  to(address: string): ReceivedMail[]
  /** Waits for the nth message (1-based) to an address. */
  waitFor(address: string, count?: number, timeoutMs?: number): Promise<ReceivedMail>
  clear(): void
}

/**
 * Starts in a mocha `before` hook and stops in `after`. `accept`, when it gives a promise, holds each message's
 * acceptance (the sender's wait) until it settles; the message is recorded at once.
 */
export function useSmtpServer(options: { accept?: () => Promise<void> | undefined } = {}): TestSmtp {
  const messages: ReceivedMail[] = []
  let server: SMTPServer | undefined
  let url = ''
  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase())
          messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), to))
          const held = options.accept?.()
          if (held) void held.then(() => callback())
          else callback()
        })
      },
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()))
    const { port } = server.server.address() as AddressInfo
    url = `smtp://127.0.0.1:${port}`
  })
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  })
  const to = (address: string) => messages.filter((m) => m.to.includes(address.toLowerCase()))
  return {
    get url() {
      return url
    },
    messages,
    to,
    async waitFor(address, count = 1, timeoutMs = 5000) {
      const started = Date.now()
      while (Date.now() - started < timeoutMs) {
        const found = to(address)[count - 1]
        if (found) return found
        await new Promise((r) => setTimeout(r, 20))
      }
      throw new Error(`no email number ${count} to ${address} within ${timeoutMs} ms`)
    },
    clear() {
      messages.length = 0
    },
  }
}

/** The first link to this app in a message. */
export function linkIn(mail: ReceivedMail, base: string): string {
  const match = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s]+`).exec(mail.text)
  if (!match) throw new Error(`no link to ${base} in "${mail.subject}"`)
  return match[0]
}
