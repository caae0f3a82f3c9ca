import { z } from 'zod'
import { BENEFIT_RATING_VALUES, GOAL_RESULTS, WENT_ANSWERS } from '../../../services/outcomes/outcome'
import { PRACTICE_FILTERS } from '../../../services/outcomes/outcome.service'

const helped = z.enum(BENEFIT_RATING_VALUES as [string, ...string[]], { error: 'Select whether it helped' })

/** The person's own feedback: "Did you go? Did it help? Anything else you need?" */
export const feedbackSchema = z
  .object({
    went: z.enum(Object.keys(WENT_ANSWERS) as [string, ...string[]], { error: 'Select whether you went' }),
    helped: helped.optional(),
    anythingElse: z.string().trim().max(1000, 'Write 1000 characters or fewer').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.went !== 'no' && !v.helped)
      ctx.addIssue({ code: 'custom', path: ['helped'], message: 'Select whether it helped' })
  })

const goalResult = z.enum(Object.keys(GOAL_RESULTS) as [string, ...string[]], {
  error: 'Select whether this goal was met',
})

/** The worker's outcome: their view, up to three goals from "what matters to me", and what is still unmet. */
export const workerOutcomeSchema = z
  .object({
    helped,
    note: z.string().trim().max(1000, 'Write 1000 characters or fewer').default(''),
    goal1: z.string().trim().max(200, 'Write 200 characters or fewer').default(''),
    goal1Result: goalResult.optional(),
    goal2: z.string().trim().max(200, 'Write 200 characters or fewer').default(''),
    goal2Result: goalResult.optional(),
    unmetNote: z.string().trim().max(1000, 'Write 1000 characters or fewer').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.goal1 && !v.goal1Result)
      ctx.addIssue({ code: 'custom', path: ['goal1Result'], message: 'Select whether this goal was met' })
    if (v.goal2 && !v.goal2Result)
      ctx.addIssue({ code: 'custom', path: ['goal2Result'], message: 'Select whether this goal was met' })
  })

export const measureChoiceSchema = z.object({
  instrument: z.enum(['swemwbs', 'ons4'], { error: 'Choose a measure' }),
  timing: z.enum(['baseline', 'follow-up'], { error: 'Select baseline or follow-up' }),
})

export const feedbackLinkSchema = z.object({
  channel: z.enum(['email', 'text'], { error: 'Select how to send the link' }),
  measure: z.enum(['none', 'swemwbs', 'ons4']).default('none'),
})

export const practiceFilterSchema = z.object({
  filter: z
    .enum(Object.keys(PRACTICE_FILTERS) as [string, ...string[]])
    .catch('all')
    .default('all'),
})
