import { z } from 'zod'
import { AUDIT_ACTIONS } from '../../../services/audit.service'
import { ROLES } from '../../../domain/roles'
import { asList } from '../../form-page'
import { inviteeFields } from '../organisations/colleagues.schemas'

const optionalId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined)

/** Roles and organisations, shared by "invite a user" and "change roles". */
export const accessFields = {
  roles: z.preprocess(asList, z.array(z.enum(ROLES, { error: 'Select a role from the list' }))),
  vcoOrganisationId: optionalId,
  teamId: optionalId,
  practiceId: optionalId,
  manager: z.preprocess((v) => v === 'yes', z.boolean()),
}

export const changeAccessSchema = z.object(accessFields)
export type ChangeAccessForm = z.infer<typeof changeAccessSchema>

export const inviteUserSchema = z.object({ ...inviteeFields, ...accessFields })
export type InviteUserForm = z.infer<typeof inviteUserSchema>

export const auditSearchSchema = z.object({
  user: z.string().trim().max(254, 'User must be 254 characters or fewer').optional(),
  action: z
    .union([z.literal(''), z.enum(AUDIT_ACTIONS)], { error: 'Select an action from the list' })
    .optional()
    .transform((v) => v || undefined),
  recordId: z.string().trim().max(100, 'Record must be 100 characters or fewer').optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(1),
})
export type AuditSearchForm = z.infer<typeof auditSearchSchema>
