// The express-handlebars engine: views/layouts, views/partials, our helpers, .hbs files.
import path from 'node:path'
import { create } from 'express-handlebars'
import { helpers } from './view-helpers'

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views')

export function createViewEngine() {
  return create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(VIEWS_DIR, 'layouts'),
    partialsDir: path.join(VIEWS_DIR, 'partials'),
    helpers,
    runtimeOptions: { allowProtoPropertiesByDefault: false },
  })
}
