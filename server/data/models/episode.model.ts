// A social prescribing episode (server/services/episodes/episode.ts): one document per person's time with the link
// worker service, holding its stage, plan, contacts, tasks, measures, codes, messages and events, so every change is
// one version-guarded updateOne. Lists select by top-level equality (teamId, ownerId, stage, practiceId, personId),
// the only filters FerretDB v1 pushes down to the database, so each has an index here for MongoDB too.
import { Schema, type Connection } from 'mongoose'
import { EPISODE_STAGES } from '../../domain/episode'
import { collectionSchema, list, nullable, required } from './fields'
import { careOrigin } from './shared.schemas'

export const episodeSchema = collectionSchema(
  'episodes',
  {
    version: required(Number),
    stage: { type: String, enum: EPISODE_STAGES, required: true, index: true },
    open: required(Boolean),
    teamId: { type: String, required: true, index: true },
    teamName: required(String),
    ownerId: { type: String, default: null, index: true },
    ownerName: nullable(String),
    personId: { type: String, default: null, index: true },
    /** The person's practice, copied to the top level so the practice's list is an equality match. */
    practiceId: { type: String, default: null, index: true },
    person: required(Schema.Types.Mixed),
    referrer: required(Schema.Types.Mixed),
    reason: { type: String, default: '' },
    consentToRefer: required(Boolean),
    gpFeedbackConsent: required(Boolean),
    referredAt: required(Date),
    triagedAt: nullable(Date),
    declineReason: nullable(String),
    firstConversationAt: nullable(Date),
    conversationNote: { type: String, default: '' },
    whatMatters: { type: String, default: '' },
    needs: list(String),
    goals: list(Schema.Types.Mixed),
    contacts: list(Schema.Types.Mixed),
    tasks: list(Schema.Types.Mixed),
    measures: list(Schema.Types.Mixed),
    codes: list(Schema.Types.Mixed),
    dischargedAt: nullable(Date),
    dischargeReason: nullable(String),
    dischargeNote: { type: String, default: '' },
    messages: list(Schema.Types.Mixed),
    events: list(Schema.Types.Mixed),
    origin: careOrigin(),
  },
  { minimize: false },
)

export function createEpisodeModel(connection: Connection) {
  return connection.model('Episode', episodeSchema)
}
