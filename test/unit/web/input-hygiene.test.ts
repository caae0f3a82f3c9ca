import { expect } from 'chai'
import { cleanFields, cleanText, parseQuery } from '../../../server/web/middleware/input-hygiene'
import { ValidationError } from '../../../server/errors'

describe('input hygiene', () => {
  it('normalises text to NFC, keeps newlines and tabs, and removes other controls and bidi overrides', () => {
    expect(cleanText('Jose\u0301')).to.equal('José')
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe')).to.equal('abcde')
    expect(cleanText('line one\r\nline two\rthree\tfour')).to.equal('line one\nline two\nthree\tfour')
    expect(cleanText('evil\u202Egnp.exe \u2066x\u2069 \u202Ay\u202C')).to.equal('evilgnp.exe x y')
  })

  it('gives strings and lists of strings; refuses objects and nested lists with a message per field', () => {
    expect({ ...cleanFields({ a: 'x', b: ['y', 'z'], n: 3, t: true, nil: null }) }).to.deep.equal({
      a: 'x',
      b: ['y', 'z'],
      n: '3',
      t: 'true',
      nil: '',
    })
    let error: unknown
    try {
      cleanFields({ email: { toString: 'x' }, tags: [['a']], name: 'ok' })
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(ValidationError)
    expect((error as ValidationError).fields).to.deep.equal({ email: 'Enter text only', tags: 'Enter text only' })
  })

  it('drops keys that name the prototype and leaves passwords exactly as typed', () => {
    const clean = cleanFields(
      JSON.parse('{"__proto__": {"admin": true}, "constructor": "x", "password": "a\\u0000\\u202Eb"}'),
    )
    expect(Object.keys(clean)).to.deep.equal(['password'])
    expect(clean.password).to.equal('a\u0000\u202Eb')
    expect(Object.getPrototypeOf(clean)).to.equal(null)
  })

  it('parses a query string flat, cleaned, without prototype keys', () => {
    const q = parseQuery('tab=constructor&toString=1&q=caf%C3%A9%00&a=1&a=2')
    expect({ ...q }).to.deep.equal({ tab: 'constructor', q: 'café', a: ['1', '2'] })
  })
})
