// Shared test setup: tests log nothing unless TEST_LOG_LEVEL asks for it (e.g. TEST_LOG_LEVEL=error).
import type { LevelWithSilent } from 'pino'
import { configureLogger } from '../../server/logger'

configureLogger((process.env.TEST_LOG_LEVEL as LevelWithSilent | undefined) ?? 'silent')
