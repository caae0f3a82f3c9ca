// Shared test setup: tests log nothing unless LOG_LEVEL asks for it.
import { configureLogger } from '../../server/logger'

configureLogger('silent')
