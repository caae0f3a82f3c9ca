// The express-handlebars engine: views/layouts, views/partials, our helpers, .hbs files.
import path from 'node:path'
import { create } from 'express-handlebars'
import { helpers } from './view-helpers'

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views')

export function createViewEngine() {
  const engine = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(VIEWS_DIR, 'layouts'),
    partialsDir: path.join(VIEWS_DIR, 'partials'),
    helpers,
    // Our helpers are the only ones: templates compile to direct calls and plain lookups instead of asking, at every
    // {{value}}, whether a helper of that name exists (an unknown helper is an error when a template compiles).
    compilerOptions: {
      knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
      knownHelpersOnly: true,
    },
    runtimeOptions: { allowProtoPropertiesByDefault: false },
  })
  // express-handlebars gathers every partial on every render, even with `view cache` on: a cache lookup, path
  // resolve and await per partial file, each request (about 3% of the main thread under load). With the cache on,
  // the gathered partials are kept; without it (development) they are read afresh, as before.
  const gather = engine.getPartials.bind(engine)
  let cached: ReturnType<typeof gather> | undefined
  engine.getPartials = (options) => {
    if (!options?.cache) return gather(options)
    cached ??= gather(options).catch((error: unknown) => {
      cached = undefined
      throw error
    })
    return cached
  }
  return engine
}
