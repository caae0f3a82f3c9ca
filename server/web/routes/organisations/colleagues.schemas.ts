import { z } from 'zod'
import { emailField } from '../auth/auth.schemas'

export const inviteColleagueSchema = z.object({
  name: z
    .string({ error: 'Enter their full name' })
    .trim()
    .min(1, 'Enter their full name')
    .max(200, 'Name must be 200 characters or fewer'),
  email: emailField.transform((v) => v.toLowerCase()),
})
export type InviteColleagueForm = z.infer<typeof inviteColleagueSchema>
