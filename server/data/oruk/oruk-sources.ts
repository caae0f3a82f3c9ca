// Where ORUK services come from: an API (ours or another's) paged through, or a JSON file. Each yields one service at
// a time with where it was, so a bad record can be reported and the rest carry on.
import fs from 'node:fs'
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
    const body = (await getJson(fetcher, url, timeoutMs)) as Obj
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

/** A JSON file holding one service, an array of services, or a page ({ contents: [...] }). */
export async function* readOrukJsonFile(file: string): AsyncGenerator<CsvServiceRecord> {
  const data = JSON.parse(await fs.promises.readFile(file, 'utf8')) as unknown
  const items = Array.isArray(data)
    ? data
    : Array.isArray((data as Obj | null)?.contents)
      ? ((data as Obj).contents as unknown[])
      : [data]
  let n = 0
  for (const record of items) yield { where: `item ${++n}`, record }
}
