import { expect } from 'chai'
import { formatUkPhone, normaliseUkPhone, ukPhoneKind } from '../../../server/services/uk-phone'

describe('UK phone numbers', () => {
  it('reads numbers as people type them, with +44, 0044, (0), spaces, dashes and brackets', () => {
    for (const [typed, stored] of [
      ['07700 900123', '07700900123'],
      ['+44 7700 900123', '07700900123'],
      ['+44 (0)7700-900123', '07700900123'],
      ['0044 116 496 0000', '01164960000'],
      ['(020) 7946 0018', '02079460018'],
      ['0345 123 4567', '03451234567'],
      ['0800 123 456', '0800123456'],
    ] as const)
      expect(normaliseUkPhone(typed), typed).to.equal(stored)
  })

  it('refuses what is not a UK phone number someone would give as theirs', () => {
    for (const bad of [
      'not a phone',
      '12345',
      '07700 90012',
      '077009001234',
      '0900 123 4567',
      '070 1234 5678',
      '+1 202 555 0100',
      '07600 900123',
    ])
      expect(normaliseUkPhone(bad), bad).to.equal(null)
  })

  it('tells mobiles from landlines, and spaces each as it is said', () => {
    expect(ukPhoneKind('07700900123')).to.equal('mobile')
    expect(ukPhoneKind('02079460018')).to.equal('landline')
    for (const [stored, shown] of [
      ['07700900123', '07700 900123'],
      ['02079460018', '020 7946 0018'],
      ['01164960000', '0116 496 0000'],
      ['01632960123', '01632 960123'],
      ['03451234567', '0345 123 4567'],
    ] as const)
      expect(formatUkPhone(stored), stored).to.equal(shown)
  })
})
