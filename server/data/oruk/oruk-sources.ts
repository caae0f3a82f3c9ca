// Where ORUK services come from: an API (ours or another's) paged through, or a JSON file parsed as a stream. Each
// yields one service at a time with where it was, so a bad record can be reported and the rest carry on.
import fs from 'node:fs'
import { JSONParser } from '@streamparser/json-node'
import type { CsvServiceRecord } from './oruk-csv'

type Obj = Record<string, unknown>

export interface ApiSourceOptions {
  perPage?: number
  /** Parallel GET /services/{id} when the list does not give nested services. */
  concurrency?: number
  fetch?: typeof fetch
  timeoutMs?: number
}

async function getJson(fetcher: typeof fetch, url: string, timeoutMs: number): Promise<unknown> {
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await fetcher(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      })
      if (res.status === 429 || res.status >= 500) {
        lastError = new Error(`${url} answered ${res.status}`)
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)))
        continue
      }
      if (!res.ok) throw new Error(`${url} answered ${res.status}`)
      return await res.json()
    } catch (error) {
      lastError = error
    }
  }
  throw lastError instanceof Error ? lastError : new Error(`could not read ${url}`)
}

/** A list item counts as nested when it carries any of the one-to-many parts a full service has. */
function isNested(item: Obj): boolean {
  return ['service_at_locations', 'schedules', 'contacts', 'attributes'].some((k) => Array.isArray(item[k]))
}

/** Pages through `${base}/services?full=true`, fetching `/services/{id}` for items that come back flat. */
export async function* readOrukApi(baseUrl: string, options: ApiSourceOptions = {}): AsyncGenerator<CsvServiceRecord> {
  const fetcher = options.fetch ?? fetch
  const perPage = options.perPage ?? 100
  const concurrency = options.concurrency ?? 8
  const timeoutMs = options.timeoutMs ?? 30_000
  const base = baseUrl.replace(/\/+$/, '')
  for (let page = 1; ; page++) {
    const url = `${base}/services?page=${page}&per_page=${perPage}&full=true`
    let body: Obj
    try {
      body = (await getJson(fetcher, url, timeoutMs)) as Obj
    } catch (error) {
      if (page > 1) throw error
      throw new Error(`${base} did not answer as an Open Referral UK API (its base URL answers /services)`, {
        cause: error,
      })
    }
    const contents = Array.isArray(body.contents) ? (body.contents as Obj[]) : []
    for (let i = 0; i < contents.length; i += concurrency) {
      const slice = contents.slice(i, i + concurrency)
      const full = await Promise.all(
        slice.map(async (item, j) => {
          const where = `page ${page} item ${i + j + 1}`
          if (isNested(item) || typeof item.id !== 'string') return { where, record: item as unknown }
          try {
            return {
              where,
              record: await getJson(fetcher, `${base}/services/${encodeURIComponent(item.id)}`, timeoutMs),
            }
          } catch (error) {
            return { where, record: { ...item, __error: (error as Error).message } as unknown }
          }
        }),
      )
      yield* full
    }
    const totalPages = typeof body.total_pages === 'number' ? body.total_pages : page
    if (contents.length === 0 || body.last_page === true || page >= totalPages) return
  }
}

/** The first character that is not white space (or a byte order mark), to tell an array from an object. */
async function firstChar(file: string): Promise<string> {
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 4096 })) {
    const found = /[^\s\uFEFF]/.exec(chunk as string)
    if (found) return found[0]
  }
  return ''
}

/**
 * A JSON file holding an array of services, a page ({ contents: [...] }) or one service. Arrays and pages are parsed
 * as a stream, one service at a time, so a large file is never held whole; a single service is read at once.
 */
export async function* readOrukJsonFile(file: string): AsyncGenerator<CsvServiceRecord> {
  const first = await firstChar(file)
  if (first !== '[' && first !== '{') throw new Error(`${file} is not a JSON array or object`)
  const parser = new JSONParser({ paths: [first === '[' ? '$.*' : '$.contents.*'], keepStack: false })
  let n = 0
  try {
    for await (const { value } of fs.createReadStream(file).pipe(parser) as AsyncIterable<{ value: unknown }>) {
      yield { where: `item ${++n}`, record: value }
    }
  } catch (error) {
    throw new Error(`${file} is not valid JSON after item ${n}`, { cause: error })
  }
  if (first === '{' && n === 0) {
    const data = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Obj
    if (!Array.isArray(data.contents)) yield { where: 'item 1', record: data }
  }
}
