// A limit per client address: requests over the limit get the limit's own message (as a TooManyRequestsError, which
// the error handler turns into a 429 page or JSON), and requests the limit skips are not counted.
import { expect } from 'chai'
import express from 'express'
import request from 'supertest'
import { TooManyRequestsError } from '../../../../server/errors'
import { limitPerAddress } from '../../../../server/web/middleware/rate-limit'

function appWith(limit: express.RequestHandler) {
  const app = express()
  app.use(limit)
  app.all('/', (_req, res) => {
    res.send('ok')
  })
  app.use(((error, _req, res, _next) => {
    const status = error instanceof TooManyRequestsError ? 429 : 500
    res.status(status).send(String((error as Error).message))
  }) as express.ErrorRequestHandler)
  return app
}

describe('limitPerAddress', () => {
  it('answers the request after the limit with its message', async () => {
    const app = appWith(limitPerAddress({ windowMs: 60_000, limit: 2, message: 'Wait an hour and try again.' }))
    await request(app).get('/').expect(200)
    await request(app).get('/').expect(200)
    const refused = await request(app).get('/').expect(429)
    expect(refused.text).to.equal('Wait an hour and try again.')
    expect(refused.headers).to.have.property('ratelimit-policy')
  })

  it('does not count what it skips', async () => {
    const app = appWith(
      limitPerAddress({ windowMs: 60_000, limit: 1, message: 'Too many', skip: (req) => req.method !== 'POST' }),
    )
    for (let i = 0; i < 3; i++) await request(app).get('/').expect(200)
    await request(app).post('/').expect(200)
    await request(app).post('/').expect(429)
    await request(app).get('/').expect(200)
  })
})
