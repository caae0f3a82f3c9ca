// Mailer over SMTP with nodemailer: SMTP_URL (smtp:// or smtps://, credentials in the URL).
import nodemailer from 'nodemailer'
import type { Mailer, MailMessage } from './mailer'

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url)
  return {
    kind: 'smtp',
    async send(message: MailMessage) {
      await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text })
    },
    async close() {
      transport.close()
    },
  }
}
