// {{csrfToken}} → this session's CSRF token for a hidden `_csrf` field.
import type { HelperOptions } from 'handlebars'

export function csrfToken(options: HelperOptions): string {
  const root = options.data?.root as { csrfTokenFor?: () => string } | undefined
  if (!root?.csrfTokenFor) throw new TypeError('csrfToken helper: no CSRF token provider on this page')
  return root.csrfTokenFor()
}
