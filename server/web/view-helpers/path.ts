// {{path 'name' id=x}} → a URL from server/paths.ts, so templates never hard-code URLs.
import type { HelperOptions } from 'handlebars'
import { paths, pathFor, type PathName } from '../../paths'

export function path(name: PathName, options: HelperOptions): string {
  const template = paths[name]
  if (template === undefined) throw new TypeError(`path helper: unknown path ${String(name)}`)
  return pathFor(template, options.hash as Record<string, string | number>)
}
