// Starts search-worker.ts in a worker thread. The app runs from its TypeScript sources through tsx, and Node 20 does
// not hand a new thread the module hooks that `--import tsx` gave the main one, so the worker registers tsx itself.
import { register } from 'tsx/esm/api'

register()
await import('./search-worker.ts')
