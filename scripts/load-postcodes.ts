// npm run postcodes:load -- <ONSPD, NSPL or Code-Point Open CSV> [--out file] [--include-terminated]
// Writes the local postcode table from a national postcode file, with a progress bar, so the app places any UK
// postcode offline. Point the app at the result with POSTCODES_FILE. ONSPD: https://geoportal.statistics.gov.uk
// (search "ONS Postcode Directory", the CSV in Data/). Code-Point Open: https://osdatahub.os.uk (concatenate the
// per-area CSVs in Data/CSV into one file first).
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { convertPostcodeDirectory } from '../server/data/geo/postcode-directory'
import { progressBar } from './script-database'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: '.data/postcodes.csv' },
    'include-terminated': { type: 'boolean', default: false },
  },
})
const input = positionals[0]
if (!input || !fs.existsSync(input)) {
  process.stderr.write('Give the ONS Postcode Directory (or Code-Point Open) CSV to load, for example:\n')
  process.stderr.write('  npm run postcodes:load -- ~/Downloads/ONSPD_NOV_2025_UK.csv\n')
  process.exit(2)
}
const output = path.resolve(values.out)
fs.mkdirSync(path.dirname(output), { recursive: true })
const partial = `${output}.partial`

const bar = progressBar('reading postcodes {bar} {percentage}% {value}/{total} MB {eta_formatted}')
const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
bar.start(mb(fs.statSync(input).size), 0)
try {
  const result = await convertPostcodeDirectory(input, partial, {
    includeTerminated: values['include-terminated'],
    onProgress: (bytes) => bar.update(mb(bytes)),
  })
  bar.stop()
  // Written beside and renamed, so a running app never reads half a table.
  fs.renameSync(partial, output)
  process.stdout.write(
    `${result.format === 'codepoint' ? 'Code-Point Open' : 'ONS Postcode Directory'}: ` +
      `${result.postcodes.toLocaleString('en-GB')} postcodes and ${result.outcodes.toLocaleString('en-GB')} ` +
      `districts written to ${output} (${result.skipped.toLocaleString('en-GB')} rows left out: terminated, ` +
      `no grid reference or not a postcode).\nStart the app with POSTCODES_FILE=${output}\n`,
  )
} catch (error) {
  bar.stop()
  fs.rmSync(partial, { force: true })
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
