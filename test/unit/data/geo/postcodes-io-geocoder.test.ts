import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'chai'
import { createCompositeGeocoder } from '../../../../server/data/geo/composite-geocoder'
import { createLocalGeocoder } from '../../../../server/data/geo/local-geocoder'
import { createPostcodesIoGeocoder } from '../../../../server/data/geo/postcodes-io-geocoder'
import { ServiceUnavailableError } from '../../../../server/errors'

// postcodes.io is a third-party service: a fake one that answers like it is started here.
describe('PostcodesIoGeocoder', () => {
  let server: http.Server
  let baseUrl: string
  const requests: string[] = []
  let slow = false

  before(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '')
      if (slow) return void setTimeout(() => res.end('{}'), 500)
      res.setHeader('content-type', 'application/json')
      if (req.url === '/postcodes/SW1A1AA') {
        res.end(
          JSON.stringify({ status: 200, result: { postcode: 'SW1A 1AA', latitude: 51.501009, longitude: -0.141588 } }),
        )
      } else if (req.url === '/outcodes/M1') {
        res.end(JSON.stringify({ status: 200, result: { outcode: 'M1', latitude: 53.4781, longitude: -2.2345 } }))
      } else if (req.url === '/postcodes/ZZ990ZZ') {
        res.statusCode = 500
        res.end('{}')
      } else {
        res.statusCode = 404
        res.end(JSON.stringify({ status: 404, error: 'Postcode not found' }))
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })

  after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  beforeEach(() => {
    requests.length = 0
    slow = false
  })

  it('looks up a full postcode and an outcode', async () => {
    const geocoder = createPostcodesIoGeocoder({ baseUrl })
    expect(await geocoder.lookup('sw1a 1aa')).to.deep.equal({
      lat: 51.501009,
      lon: -0.141588,
      postcode: 'SW1A 1AA',
      precision: 'postcode',
    })
    expect(await geocoder.lookup('m1')).to.deep.include({ lat: 53.4781, precision: 'outcode' })
  })

  it('answers null for a postcode that does not exist', async () => {
    expect(await createPostcodesIoGeocoder({ baseUrl }).lookup('AB1 2CD')).to.equal(null)
  })

  it('remembers answers, so a repeated lookup does not call out again', async () => {
    const geocoder = createPostcodesIoGeocoder({ baseUrl })
    await geocoder.lookup('SW1A 1AA')
    await geocoder.lookup('sw1a1aa')
    await geocoder.lookup('AB1 2CD')
    await geocoder.lookup('AB1 2CD')
    expect(requests).to.deep.equal(['/postcodes/SW1A1AA', '/postcodes/AB12CD'])
  })

  it('reports the lookup as unavailable when it errors or is too slow', async () => {
    const geocoder = createPostcodesIoGeocoder({ baseUrl, timeoutMs: 100 })
    let error: unknown
    try {
      await geocoder.lookup('ZZ99 0ZZ')
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(ServiceUnavailableError)
    slow = true
    error = undefined
    try {
      await geocoder.lookup('SW1A 2AA')
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(ServiceUnavailableError)
  })

  describe('behind the local table', () => {
    const local = createLocalGeocoder([
      { postcode: 'NW4 4BG', latitude: 51.5866, longitude: -0.2285 },
      { postcode: 'NW4', latitude: 51.589, longitude: -0.227 },
    ])

    it('answers from the table without calling out when it holds the postcode', async () => {
      const geocoder = createCompositeGeocoder(local, createPostcodesIoGeocoder({ baseUrl }))
      expect(await geocoder.lookup('NW4 4BG')).to.deep.include({ precision: 'postcode' })
      expect(requests).to.deep.equal([])
    })

    it('asks the HTTP service for postcodes the table lacks', async () => {
      const geocoder = createCompositeGeocoder(local, createPostcodesIoGeocoder({ baseUrl }))
      expect(await geocoder.lookup('SW1A 1AA')).to.deep.include({ lat: 51.501009 })
    })

    it('uses the outcode centroid when the HTTP service is down', async () => {
      slow = true
      const geocoder = createCompositeGeocoder(local, createPostcodesIoGeocoder({ baseUrl, timeoutMs: 50 }))
      expect(await geocoder.lookup('NW4 1AA')).to.deep.include({ precision: 'outcode', lat: 51.589 })
    })
  })
})
