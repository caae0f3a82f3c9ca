// A social prescribing episode (server/services/episodes/episode.ts): one document per person's time with the link
// worker service, holding its stage, plan, contacts, tasks, measures, codes, messages and events, so every change is
// one version-guarded updateOne. Lists select by top-level equality (teamId, ownerId, stage, practiceId, personId),
// the only filters FerretDB v1 pushes down to the database, so each has an index here for MongoDB too.
import { Schema, type Connection } from 'mongoose'
import { EPISODE_STAGES } from '../../domain/episode'

export const episodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    stage: { type: String, enum: EPISODE_STAGES, required: true, index: true },
    open: { type: Boolean, required: true },
    teamId: { type: String, required: true, index: true },
    teamName: { type: String, required: true },
    ownerId: { type: String, default: null, index: true },
    ownerName: { type: String, default: null },
    personId: { type: String, default: null, index: true },
    /** The person's practice, copied to the top level so the practice's list is an equality match. */
    practiceId: { type: String, default: null, index: true },
    person: { type: Schema.Types.Mixed, required: true },
    referrer: { type: Schema.Types.Mixed, required: true },
    reason: { type: String, default: '' },
    consentToRefer: { type: Boolean, required: true },
    gpFeedbackConsent: { type: Boolean, required: true },
    referredAt: { type: Date, required: true },
    triagedAt: { type: Date, default: null },
    declineReason: { type: String, default: null },
    firstConversationAt: { type: Date, default: null },
    conversationNote: { type: String, default: '' },
    whatMatters: { type: String, default: '' },
    needs: { type: [String], default: [] },
    goals: { type: [Schema.Types.Mixed], default: [] },
    contacts: { type: [Schema.Types.Mixed], default: [] },
    tasks: { type: [Schema.Types.Mixed], default: [] },
    measures: { type: [Schema.Types.Mixed], default: [] },
    codes: { type: [Schema.Types.Mixed], default: [] },
    dischargedAt: { type: Date, default: null },
    dischargeReason: { type: String, default: null },
    dischargeNote: { type: String, default: '' },
    messages: { type: [Schema.Types.Mixed], default: [] },
    events: { type: [Schema.Types.Mixed], default: [] },
    origin: { type: String, enum: ['manual', 'demo'], default: 'manual' },
  },
  { collection: 'episodes', versionKey: false, minimize: false },
)

export function createEpisodeModel(connection: Connection) {
  return connection.model('Episode', episodeSchema)
}
