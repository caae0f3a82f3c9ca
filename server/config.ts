// The only module that reads process.env. Parsed once with zod; a bad value stops the process naming the variable.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes')

const optionalUrl = z.url().optional()

/** A whole number, such as a count of days or a limit. */
const whole = z.coerce.number().int()
/** A whole number above zero, and what it is when unset. */
const positive = (fallback: number) => whole.positive().default(fallback)

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: whole.min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: optionalUrl,
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    FERRETDB_BIN: z.string().min(1).default('.cache/ferretdb/ferretdb-embedded'),
    POSTGRES_BIN_DIR: z.string().min(1).optional(),
    FERRETDB_POSTGRESQL_URL: z.string().url().optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: positive(30),
    SESSION_ABSOLUTE_HOURS: positive(12),
    MEILI_URL: optionalUrl,
    MEILI_KEY: z.string().optional(),
    SEARCH_WORKER: bool.optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().default('Loopwell <no-reply@loopwell.local>'),
    POSTCODES_URL: optionalUrl,
    /** The local postcode table (npm run postcodes:load writes one); the demo borough's when unset. */
    POSTCODES_FILE: z
      .string()
      .min(1)
      .refine((file) => fs.existsSync(file), 'names no file (npm run postcodes:load writes one)')
      .optional(),
    DEMO: bool.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: bool.default(false),
    RATE_LIMIT_PER_MINUTE: positive(300),
    SIGN_IN_MAX_FAILURES: positive(5),
    SIGN_IN_LOCK_MINUTES: positive(15),
    AUTH_RATE_LIMIT_PER_15_MINUTES: positive(30),
    INVITATION_DAYS: positive(7),
    PASSWORD_RESET_MINUTES: positive(60),
    LISTING_REVIEW_MONTHS: whole.min(1).max(36).default(6),
    LISTING_REMINDER_DAYS: positive(14),
    LISTING_LINK_DAYS: positive(30),
    REFERRAL_ACK_WORKING_DAYS: positive(1),
    REFERRAL_CONTACT_DAYS: positive(5),
    REFERRAL_OUTCOME_DAYS: positive(15),
    REFERRAL_REVIEW_MONTHS: positive(1),
    REFERRAL_RETURN_DAYS: positive(14),
    REFERRAL_ESCALATE_HOURS: positive(24),
    REFERRAL_REOPEN_HOURS: whole.min(0).default(48),
    REFERRAL_CLOCK_MINUTES: positive(15),
    REPORT_REFRESH_SECONDS: positive(60),
    DEMO_REPORT_REFERRALS: whole.min(0).max(100_000).default(400),
    /** A link worker's safe caseload a year (NHS England: about 200 to 250 people). */
    CASELOAD_BENCHMARK: whole.positive().max(10_000).default(250),
    /** An episode is overdue when triage, the first conversation or the next contact takes longer than these days. */
    EPISODE_TRIAGE_DAYS: whole.positive().max(365).default(2),
    EPISODE_CONVERSATION_DAYS: whole.positive().max(365).default(10),
    EPISODE_CONTACT_DAYS: whole.positive().max(365).default(21),
    /** Public self-referrals accepted from one address an hour (per instance). */
    SELF_REFERRALS_PER_HOUR: positive(10),
    // The statutory pages' deployment-specific parts: who runs this service and how to reach them.
    OPERATOR_NAME: z.string().trim().min(1).default('The organisation that runs Loopwell in your area'),
    OPERATOR_EMAIL: z.email().optional(),
    OPERATOR_ADDRESS: z.string().trim().min(1).optional(),
    DATA_PROTECTION_OFFICER_EMAIL: z.email().optional(),
    ICO_REGISTRATION: z.string().trim().min(1).optional(),
    RECORD_RETENTION_YEARS: positive(8),
    ACCESSIBILITY_TESTED: z.iso.date().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' })
    }
  })

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // Treat empty strings as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`))
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const dataDir = path.resolve(e.DATA_DIR)
  return Object.freeze({
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    mongodbUri: e.MONGODB_URI,
    dataDir,
    ferretdbBin: path.resolve(e.FERRETDB_BIN),
    postgresBinDir: e.POSTGRES_BIN_DIR ? path.resolve(e.POSTGRES_BIN_DIR) : undefined,
    ferretdbPostgresUrl: e.FERRETDB_POSTGRESQL_URL,
    sessionSecret: e.SESSION_SECRET ?? 'loopwell-development-secret-never-use-in-production',
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    meili: e.MEILI_URL ? { url: e.MEILI_URL, key: e.MEILI_KEY } : undefined,
    /** The in-process index runs in a worker thread, beside the one that renders pages. */
    searchInWorker: e.SEARCH_WORKER ?? true,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    postcodesUrl: e.POSTCODES_URL,
    postcodesFile: e.POSTCODES_FILE ? path.resolve(e.POSTCODES_FILE) : undefined,
    demo: e.DEMO ?? !production,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    signIn: {
      maxFailures: e.SIGN_IN_MAX_FAILURES,
      lockMs: e.SIGN_IN_LOCK_MINUTES * 60_000,
      perNetworkPer15Minutes: e.AUTH_RATE_LIMIT_PER_15_MINUTES,
    },
    invitationMs: e.INVITATION_DAYS * 86_400_000,
    passwordResetMs: e.PASSWORD_RESET_MINUTES * 60_000,
    listingFreshness: {
      reviewMonths: e.LISTING_REVIEW_MONTHS,
      reminderDays: e.LISTING_REMINDER_DAYS,
      linkDays: e.LISTING_LINK_DAYS,
    },
    referralClocks: {
      acknowledgeWorkingDays: e.REFERRAL_ACK_WORKING_DAYS,
      contactDays: e.REFERRAL_CONTACT_DAYS,
      outcomeDays: e.REFERRAL_OUTCOME_DAYS,
      reviewMonths: e.REFERRAL_REVIEW_MONTHS,
      returnDays: e.REFERRAL_RETURN_DAYS,
      escalateHours: e.REFERRAL_ESCALATE_HOURS,
      reopenHours: e.REFERRAL_REOPEN_HOURS,
    },
    referralClockEveryMs: e.REFERRAL_CLOCK_MINUTES * 60_000,
    /** How old a report's in-memory figures may get before they are re-read (other instances' writes). */
    reportRefreshMs: e.REPORT_REFRESH_SECONDS * 1000,
    /** Synthetic referrals the demo seeds so reports have figures (0: none). */
    demoReportReferrals: e.DEMO_REPORT_REFERRALS,
    caseloadBenchmark: e.CASELOAD_BENCHMARK,
    episodeTargets: {
      triageDays: e.EPISODE_TRIAGE_DAYS,
      conversationDays: e.EPISODE_CONVERSATION_DAYS,
      contactEveryDays: e.EPISODE_CONTACT_DAYS,
    },
    selfReferralsPerHour: e.SELF_REFERRALS_PER_HOUR,
    /** What the accessibility statement and privacy notice say about this deployment. */
    statutory: {
      operatorName: e.OPERATOR_NAME,
      operatorEmail: e.OPERATOR_EMAIL ?? null,
      operatorAddress: e.OPERATOR_ADDRESS ?? null,
      dpoEmail: e.DATA_PROTECTION_OFFICER_EMAIL ?? null,
      icoRegistration: e.ICO_REGISTRATION ?? null,
      retentionYears: e.RECORD_RETENTION_YEARS,
      accessibilityTested: e.ACCESSIBILITY_TESTED ?? null,
    },
  })
}

export type Config = ReturnType<typeof loadConfig>
