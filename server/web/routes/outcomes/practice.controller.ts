// The GP practice: its patients' referrals with engagement and benefit (filtered and paged), and a patient's outcome
// summary as a page or as a downloaded file (txt or json; any other format is not found).
import type { RequestHandler } from 'express'
import type { Services } from '../../../container'
import type { PracticeFilter } from '../../../services/outcomes/outcome.service'
import { actorOf, ipOf } from '../../actor'
import { pageParam } from '../../pagination'
import { practiceFilterSchema } from './outcomes.schemas'
import { presentPractice } from './outcomes.presenter'

export function practiceController({ outcomes }: Pick<Services, 'outcomes'>) {
  const referrals: RequestHandler = async (req, res) => {
    const filter = practiceFilterSchema.parse(req.query).filter as PracticeFilter
    const view = await outcomes.practiceView(actorOf(req), filter, ipOf(req), pageParam(req))
    res.render('pages/outcomes/practice', presentPractice(req, view, filter))
  }

  const summaryPage: RequestHandler = async (req, res) => {
    const personId = String(req.params.personId)
    const { summary } = await outcomes.summary(actorOf(req), personId, ipOf(req), false)
    res.render('pages/outcomes/summary', { title: `Outcome summary: ${summary.person.name}`, summary, personId })
  }

  const summaryFile: RequestHandler = async (req, res) => {
    const personId = String(req.params.personId)
    const format = String(req.params.format)
    if (format !== 'txt' && format !== 'json')
      return res.status(404).render('pages/errors/not-found', { title: 'Page not found' })
    const { summary, text } = await outcomes.summary(actorOf(req), personId, ipOf(req), true)
    const name = `social-prescribing-outcome-${summary.generatedAt.slice(0, 10)}.${format}`
    res.set('Cache-Control', 'no-store')
    res.attachment(name)
    if (format === 'json') res.type('application/json').send(JSON.stringify(summary, null, 2))
    else res.type('text/plain').send(text)
  }

  return { referrals, summaryPage, summaryFile }
}
