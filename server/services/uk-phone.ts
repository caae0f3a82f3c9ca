// UK phone numbers as people type them: "07700 900123", "+44 7700 900123", "(020) 7946 0018", "0044 116 496 0000".
// Ofcom's national numbering plan: a leading 0 and 9 or 10 more digits; geographic numbers start 01 or 02,
// mobiles 071-075 and 077-079, non-geographic 03 and 08. 070 (personal), 076 (pagers) and 09 (premium rate) are
// numbers nobody gives as their own phone, so they are refused. A text message needs a mobile.
//
// Not libphonenumber-js: its metadata (1.13, "max") refuses Ofcom's ranges reserved for drama and examples,
// 07700 900xxx and 01632 960xxx, which are the numbers demo data and tests should use; so the plan's shape only.

export type UkPhoneKind = 'mobile' | 'landline'

const SEPARATORS = /[\s\-().]/g

/** The national form, digits only ("07700900123"), or null when it is not a UK phone number. */
export function normaliseUkPhone(input: string): string | null {
  let digits = input.trim().replace(SEPARATORS, '')
  if (digits.startsWith('+44')) digits = `0${digits.slice(3).replace(/^0/, '')}`
  else if (digits.startsWith('0044')) digits = `0${digits.slice(4).replace(/^0/, '')}`
  if (!/^0\d{9,10}$/.test(digits)) return null
  if (/^07[1-57-9]\d{8}$/.test(digits)) return digits
  if (/^0[12]\d{8,9}$/.test(digits)) return digits
  if (/^0(3\d{9}|8[0-47]\d{7,8})$/.test(digits)) return digits
  return null
}

export function ukPhoneKind(national: string): UkPhoneKind {
  return /^07/.test(national) ? 'mobile' : 'landline'
}

/** Spaced as the number is said: "07700 900123", "020 7946 0018", "0116 496 0000", "01632 960123". */
export function formatUkPhone(national: string): string {
  if (/^02\d{9}$/.test(national)) return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`
  if (/^01\d1\d{7}$|^011\d{8}$/.test(national))
    return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`
  if (/^0(3|8)\d{9}$/.test(national)) return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`
  if (national.length === 11) return `${national.slice(0, 5)} ${national.slice(5)}`
  return `${national.slice(0, 4)} ${national.slice(4)}`
}
