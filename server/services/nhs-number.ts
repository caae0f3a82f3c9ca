// NHS numbers: 10 digits, the last a modulus-11 check digit over the first nine (weights 10 down to 2).
// A remainder giving a check digit of 10 means the number was never issued, so it is invalid.

/** Digits only: people type NHS numbers with spaces ("943 476 5919") or dashes. */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '')
}

export function isValidNhsNumber(input: string): boolean {
  const digits = normaliseNhsNumber(input)
  if (!/^\d{10}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  if (expected === 10) return false
  return expected === Number(digits[9])
}

/** "9434765919" → "943 476 5919", the way the NHS writes them. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`
}
