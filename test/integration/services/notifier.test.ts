// The one notifier: an email template from views/emails rendered with its values and sent over real SMTP to each
// distinct address, and what a failed send does (counted and logged, never thrown).
import fs from 'node:fs'
import { expect } from 'chai'
import { createSmtpMailer } from '../../../server/data/mail/smtp-mailer'
import { freePort } from '../../../server/data/embedded-db/embedded-db'
import { createNotifier, EMAILS_DIR } from '../../../server/services/notifier'
import { useSmtpServer } from '../../helpers/smtp'

const FROM = 'Loopwell <no-reply@loopwell.test>'

describe('Notifier', () => {
  const smtp = useSmtpServer()
  beforeEach(() => smtp.clear())

  it('renders the subject and body of a template and sends it once to each distinct address', async () => {
    const notifier = createNotifier({
      mailer: createSmtpMailer({ url: smtp.url, from: FROM }),
      publicUrl: 'https://lw.test/',
    })
    const result = await notifier.send(
      'referral-message',
      ['a@example.test', 'b@example.test', 'a@example.test', null],
      {
        serviceName: 'Walking group',
        path: '/referrals/r-1',
      },
    )
    expect(result).to.deep.equal({ sent: 2, failed: 0 })
    expect(smtp.messages).to.have.length(2)
    const mail = await smtp.waitFor('a@example.test')
    expect(mail.subject).to.equal('New message on a referral')
    expect(mail.text).to.equal(
      'There is a new message on a referral to Walking group.\n\nSign in to see it: https://lw.test/referrals/r-1\n\n' +
        'This email has no personal details.',
    )
  })

  it('repeats a block for each item and leaves plain text unescaped', async () => {
    const notifier = createNotifier({
      mailer: createSmtpMailer({ url: smtp.url, from: FROM }),
      publicUrl: 'https://lw.test',
    })
    const { subject, text } = notifier.render('listings-not-checked', {
      count: 2,
      one: false,
      reminders: 3,
      listings: [
        { name: 'Tea & Talk', path: '/admin/listings/s-1/history' },
        { name: 'Men <in> Sheds', path: '/admin/listings/s-2/history' },
      ],
    })
    expect(subject).to.equal('2 listings not checked after 3 reminders')
    expect(text).to.equal(
      'These listings did not answer 3 reminders and now show as not recently checked:\n\n' +
        '- Tea & Talk: https://lw.test/admin/listings/s-1/history\n' +
        '- Men <in> Sheds: https://lw.test/admin/listings/s-2/history\n',
    )
  })

  it('refuses to render with a value missing, rather than sending a gap', () => {
    const notifier = createNotifier({
      mailer: createSmtpMailer({ url: smtp.url, from: FROM }),
      publicUrl: 'https://lw.test',
    })
    expect(() => notifier.render('referral-message', { path: '/referrals/r-1' })).to.throw(/serviceName/)
  })

  it('counts a send the SMTP server never took as failed, tries every address, and does not throw', async () => {
    const nobody = `smtp://127.0.0.1:${await freePort()}`
    const notifier = createNotifier({
      mailer: createSmtpMailer({ url: nobody, from: FROM }),
      publicUrl: 'https://lw.test',
    })
    const result = await notifier.send('referral-message', ['a@example.test', 'b@example.test'], {
      serviceName: 'Walking group',
      path: '/referrals/r-1',
    })
    expect(result).to.deep.equal({ sent: 0, failed: 2 })
  })

  it('has a subject line and a blank line at the top of every email template', () => {
    const files = fs.readdirSync(EMAILS_DIR).filter((f) => f.endsWith('.hbs'))
    expect(files.length).to.be.greaterThan(10)
    for (const file of files) {
      expect(fs.readFileSync(`${EMAILS_DIR}/${file}`, 'utf8'), file).to.match(/^Subject: \S.*\n\n\S/)
    }
  })
})
