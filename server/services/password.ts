// Password rules and hashing. Rules follow NCSC guidance: length over complexity, and a block list of common
// passwords (Mozilla's list of the most common ones, from the fxa-common-password-list package). Hashes are argon2id.
import argon2 from 'argon2'
import commonPasswords from 'fxa-common-password-list'

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 128

/** Returns what is wrong with a new password, in words for the form, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (password.length === 0) return 'Enter a password'
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`
  const lower = password.toLowerCase()
  if (commonPasswords.test(password) || commonPasswords.test(lower) || /^(.)\1+$/.test(password)) {
    return 'Choose a password that is harder to guess: this one is on a list of common passwords'
  }
  if (context.email && lower === context.email.toLowerCase()) return 'Your password must not be your email address'
  return null
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id })
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined

/** Spends the same time as a real check when there is no account, so timing does not reveal which addresses exist. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('no account has this password, it only costs time')
  await verifyPassword(await dummyHash, password)
  return false
}
