import { expect } from 'chai'
import { z } from 'zod'
import { errorList, parseForm } from '../../../server/web/form-page'

describe('forms', () => {
  const schema = z.object({
    name: z.string().min(1, 'Enter a name'),
    dob: z.object({ day: z.coerce.number().int('Date of birth must include a day') }),
    email: z.email('Enter an email address in the correct format, like name@example.com'),
  })

  it('gives one message per field, with nested fields named like their inputs', () => {
    const result = parseForm(schema, { name: '', dob: { day: '1.5' }, email: 'nope' })
    expect(result.ok).to.equal(false)
    if (result.ok) return
    expect(result.errors).to.deep.equal({
      name: 'Enter a name',
      'dob-day': 'Date of birth must include a day',
      email: 'Enter an email address in the correct format, like name@example.com',
    })
  })

  it('lists errors in the order the fields appear on the page', () => {
    expect(errorList({ b: 'B', a: 'A', z: 'Z' }, ['a', 'b'])).to.deep.equal([
      { field: 'a', text: 'A' },
      { field: 'b', text: 'B' },
      { field: 'z', text: 'Z' },
    ])
  })

  it('returns the parsed value when the form is valid', () => {
    const result = parseForm(schema, { name: 'x', dob: { day: '3' }, email: 'a@b.co' })
    expect(result).to.deep.equal({ ok: true, value: { name: 'x', dob: { day: 3 }, email: 'a@b.co' } })
  })
})
