import { z } from 'zod'
import { emailField } from '../auth/auth.schemas'

/** Who is invited: their name and email address, shared by a manager's and an administrator's invitation forms. */
export const inviteeFields = {
  name: z
    .string({ error: 'Enter their full name' })
    .trim()
    .min(1, 'Enter their full name')
    .max(200, 'Name must be 200 characters or fewer'),
  email: emailField.transform((v) => v.toLowerCase()),
}

export const inviteColleagueSchema = z.object(inviteeFields)
export type InviteColleagueForm = z.infer<typeof inviteColleagueSchema>
