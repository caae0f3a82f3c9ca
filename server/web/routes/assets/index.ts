// Static assets: nhsuk-frontend's built files and our own public/ folder.
// The design system's stylesheet loads the NHS-licensed Frutiger font from a third-party host. We make no
// third-party requests (privacy, offline demo, our Content-Security-Policy), so we serve that stylesheet without
// those @font-face rules; text falls back to Arial, the fallback the design system itself names.
import fs from 'node:fs'
import path from 'node:path'
import express, { Router } from 'express'

export function assetsRouter(options: { root: string; production: boolean }): Router {
  const dist = path.join(options.root, 'node_modules/nhsuk-frontend/dist/nhsuk')
  const css = fs
    .readFileSync(path.join(dist, 'nhsuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, '')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//, '')
  const maxAge = options.production ? '7d' : 0
  const staticOptions = { maxAge, index: false, fallthrough: true }

  const router = Router()
  router.get('/assets/nhsuk-frontend.min.css', (_req, res) => {
    res
      .type('text/css')
      .set('Cache-Control', options.production ? 'public, max-age=604800' : 'no-cache')
      .send(css)
  })
  router.use('/assets', express.static(dist, staticOptions))
  router.use('/assets', express.static(path.join(dist, 'assets'), staticOptions))
  router.use('/static', express.static(path.join(options.root, 'public'), staticOptions))
  return router
}
