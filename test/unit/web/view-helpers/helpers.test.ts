import { expect } from 'chai'
import Handlebars from 'handlebars'
import { helpers } from '../../../../server/web/view-helpers'

function render(template: string, context: Record<string, unknown> = {}) {
  const hbs = Handlebars.create()
  hbs.registerHelper(helpers)
  return hbs.compile(template, { strict: false })(context)
}

describe('view helpers', () => {
  describe('path', () => {
    it('renders a named path', () => {
      expect(render("{{path 'home'}}")).to.equal('/')
      expect(render("{{path 'signIn'}}")).to.equal('/sign-in')
    })

    it('refuses an unknown name', () => {
      expect(() => render("{{path 'nope'}}")).to.throw(/unknown path nope/)
    })
  })

  describe('csrfToken', () => {
    it('asks the page for its token only when a form needs it', () => {
      let calls = 0
      const context = { csrfTokenFor: () => `t${++calls}` }
      expect(render('<p>no form</p>', context)).to.equal('<p>no form</p>')
      expect(calls).to.equal(0)
      expect(render('{{csrfToken}}', context)).to.equal('t1')
    })
  })

  describe('eq', () => {
    it('compares strictly', () => {
      expect(render('{{#if (eq a "1")}}y{{else}}n{{/if}}', { a: '1' })).to.equal('y')
      expect(render('{{#if (eq a "1")}}y{{else}}n{{/if}}', { a: 1 })).to.equal('n')
    })
  })

  describe('formatDate', () => {
    it('writes dates the NHS way, in UK time', () => {
      expect(render('{{formatDate d}}', { d: new Date('2026-03-04T23:30:00Z') })).to.equal('4 March 2026')
      expect(render('{{formatDate d}}', { d: '2026-07-01T23:30:00Z' })).to.equal('2 July 2026')
      expect(render('{{formatDate d "datetime"}}', { d: '2026-07-01T08:05:00Z' })).to.equal('1 July 2026 at 09:05')
    })

    it('renders nothing for a missing or invalid date', () => {
      expect(render('[{{formatDate d}}]', { d: null })).to.equal('[]')
      expect(render('[{{formatDate d}}]', { d: 'not a date' })).to.equal('[]')
    })
  })
})
