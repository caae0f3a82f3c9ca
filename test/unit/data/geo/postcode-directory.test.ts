import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'chai'
import { loadLocalGeocoder } from '../../../../server/data/geo/local-geocoder'
import { convertPostcodeDirectory } from '../../../../server/data/geo/postcode-directory'

describe('Loading a national postcode file into the local table', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwell-postcodes-'))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('reads the ONS Postcode Directory: live postcodes with a grid reference, and a centroid per district', async () => {
    const input = path.join(dir, 'onspd.csv')
    fs.writeFileSync(
      input,
      [
        'pcd,pcd2,pcds,dointr,doterm,oscty,lat,long',
        'M1  1AE,M1   1AE,M1 1AE,198001,,E99999999,53.480110,-2.234660',
        'M1  1AF,M1   1AF,M1 1AF,198001,,E99999999,53.482110,-2.236660',
        'M1  9ZZ,M1   9ZZ,M1 9ZZ,198001,201012,E99999999,53.49,-2.24',
        'GY1 1AA,GY1  1AA,GY1 1AA,199001,,L99999999,99.999999,0.000000',
        '',
      ].join('\n'),
    )
    const output = path.join(dir, 'postcodes.csv')
    const seen: number[] = []
    const result = await convertPostcodeDirectory(input, output, { onProgress: (bytes) => seen.push(bytes) })
    expect(result).to.deep.equal({ format: 'onspd', postcodes: 2, outcodes: 1, skipped: 2 })
    expect(seen.at(-1)).to.equal(fs.statSync(input).size)

    const geocoder = loadLocalGeocoder(output)
    expect(await geocoder.lookup('m11ae')).to.deep.equal({
      lat: 53.48011,
      lon: -2.23466,
      postcode: 'M1 1AE',
      precision: 'postcode',
    })
    expect(await geocoder.lookup('M1 9ZZ')).to.deep.include({ precision: 'outcode', lat: 53.48111 })
    expect(await geocoder.lookup('GY1 1AA')).to.equal(null)
  })

  it('reads Code-Point Open, turning British National Grid eastings and northings into latitude and longitude', async () => {
    const input = path.join(dir, 'codepoint.csv')
    // Manchester Town Hall's postcode, with its OS grid reference.
    fs.writeFileSync(input, '"M2 5DB",10,383822,398169,"E92000001","","E11000007","E08000003","E05011368"\n')
    const output = path.join(dir, 'postcodes.csv')
    expect(await convertPostcodeDirectory(input, output)).to.deep.include({ format: 'codepoint', postcodes: 1 })
    const found = await loadLocalGeocoder(output).lookup('M2 5DB')
    expect(found?.lat).to.be.closeTo(53.4794, 0.001)
    expect(found?.lon).to.be.closeTo(-2.2453, 0.001)
  })

  it('refuses a file that is neither, and says what it expected', async () => {
    const input = path.join(dir, 'other.csv')
    fs.writeFileSync(input, 'name,town\nAlice,Leeds\n')
    let message = ''
    await convertPostcodeDirectory(input, path.join(dir, 'out.csv')).catch((e: Error) => (message = e.message))
    expect(message).to.match(/neither an ONS Postcode Directory CSV/)
  })
})
