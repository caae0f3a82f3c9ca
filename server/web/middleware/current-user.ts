// Puts the signed-in user and a menu for their roles into every page.
import type { RequestHandler } from 'express'
import { menuFor } from '../routes/home/home.presenter'

export function currentUser(options: { demo: boolean }): RequestHandler {
  return (req, res, next) => {
    const user = req.user
    if (!user) return next()
    res.locals.user = user
    const items = menuFor(user, options)
    res.locals.navigation = items.map((i) => ({ ...i, current: req.path === i.href }))
    res.set('Cache-Control', 'no-store')
    next()
  }
}
