// The accessibility statement (in the form the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
// Accessibility Regulations 2018 require) and the privacy notice (UK GDPR Articles 13 and 14), with the deployment's
// own parts (who runs it, how to reach them, how long records are kept) from configuration.
import type { RequestHandler } from 'express'
import type { Config } from '../../../config'
import { formatDate } from '../../../services/dates'

export function statutoryPages(statutory: Config['statutory']) {
  const locals = {
    ...statutory,
    accessibilityTested: statutory.accessibilityTested ? formatDate(statutory.accessibilityTested) : null,
  }
  const accessibility: RequestHandler = (_req, res) =>
    res.render('pages/home/accessibility', { title: 'Accessibility statement', operator: locals })
  const privacy: RequestHandler = (_req, res) =>
    res.render('pages/home/privacy', { title: 'Privacy notice', operator: locals })
  return { accessibility, privacy }
}
