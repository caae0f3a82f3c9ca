import { z } from 'zod'
import { passwordProblem } from '../../../services/password'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const emailField = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .regex(EMAIL, 'Enter an email address in the correct format, like name@example.com')

export const signInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(1024, 'Password is too long'),
})
export type SignInForm = z.infer<typeof signInSchema>

export const forgotPasswordSchema = z.object({ email: emailField })
export type ForgotPasswordForm = z.infer<typeof forgotPasswordSchema>

/** Choosing a password (accepting an invitation, resetting): the rules, and the same password typed twice. */
export const newPasswordSchema = z
  .object({
    password: z.string({ error: 'Enter a password' }),
    confirmPassword: z.string({ error: 'Enter the password again' }),
  })
  .superRefine((form, ctx) => {
    const problem = passwordProblem(form.password)
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
    if (form.confirmPassword === '') {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Enter the password again' })
    } else if (form.confirmPassword !== form.password) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The passwords do not match' })
    }
  })
export type NewPasswordForm = z.infer<typeof newPasswordSchema>
