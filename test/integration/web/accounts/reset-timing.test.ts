// A password reset request is answered before, and independently of, the account lookup and the email: the page
// comes back while the mail server is still holding the message, the same for a known and an unknown address.
import { expect } from 'chai'
import { useTestApp } from '../../../helpers/app'
import { formOn } from '../../../helpers/accounts'
import { useSmtpServer } from '../../../helpers/smtp'

describe('Password reset answers', () => {
  let holding = false
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  // Released before the server stops (mocha runs `after` hooks in the order they were made).
  after(() => release())
  // While holding, the mail server does not accept a message until the test lets it through.
  const smtp = useSmtpServer({ accept: () => (holding ? held : undefined) })
  const received = () => smtp.messages.flatMap((m) => m.to)
  const t = useTestApp('reset_timing', () => ({ DEMO: 'true', SMTP_URL: smtp.url }))

  it('answers a known address while its email is still unsent, with the same page as an unknown one', async function () {
    this.timeout(60_000)
    smtp.clear()
    holding = true
    const form = await formOn(t.app, '/forgot-password')
    const known = await form.post({ email: 'vco.member@demo.loopwell.test' }).expect(200)
    const unknown = await form.post({ email: 'nobody@example.org' }).expect(200)
    const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0]
    expect(main(known.text)).to.equal(main(unknown.text))
    let settled = false
    const done = t.services.accounts.settled().then(() => (settled = true))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(settled, 'the email is still being sent after the answer').to.equal(false)
    release()
    await done
    expect(received()).to.deep.equal(['vco.member@demo.loopwell.test'])
  })

  it('sends at most 3 links to one address per link lifetime, answering every request alike', async function () {
    this.timeout(60_000)
    const form = await formOn(t.app, '/forgot-password')
    smtp.clear()
    await Promise.all(Array.from({ length: 8 }, () => form.post({ email: 'gp@demo.loopwell.test' }).expect(200)))
    await t.services.accounts.settled()
    expect(received().length).to.be.at.most(3)
  })
})
