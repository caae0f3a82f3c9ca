import { expect } from 'chai'
import { createLocalGeocoder, loadLocalGeocoder } from '../../../../server/data/geo/local-geocoder'
import { VENUES } from '../../../../server/data/demo/blocks'

describe('LocalGeocoder', () => {
  const geocoder = createLocalGeocoder([
    { postcode: 'NW4', latitude: 51.589, longitude: -0.227 },
    { postcode: 'NW4 4BG', latitude: 51.5866, longitude: -0.2285 },
  ])

  it('finds a full postcode however it was typed', async () => {
    expect(await geocoder.lookup('nw4 4bg')).to.deep.equal({
      lat: 51.5866,
      lon: -0.2285,
      postcode: 'NW4 4BG',
      precision: 'postcode',
    })
  })

  it('falls back to the outcode centroid for a postcode it does not hold', async () => {
    expect(await geocoder.lookup('NW4 1AA')).to.deep.include({ lat: 51.589, precision: 'outcode', postcode: 'NW4 1AA' })
  })

  it('knows nothing of other districts or malformed input', async () => {
    expect(await geocoder.lookup('M1 1AE')).to.equal(null)
    expect(await geocoder.lookup('not a postcode')).to.equal(null)
  })

  it('loads the demo borough table, which holds every demo venue postcode', async () => {
    const demo = loadLocalGeocoder('server/data/demo/postcodes.csv')
    for (const venue of VENUES) {
      const found = await demo.lookup(venue.postcode)
      expect(found, venue.postcode).to.deep.include({ precision: 'postcode', lat: venue.lat, lon: venue.lon })
    }
  })
})
