// Every Handlebars helper, one a file, each with a unit test.
import { csrfToken } from './csrf-token'
import { eq } from './eq'
import { formatDate } from './format-date'
import { path } from './path'

export const helpers = { csrfToken, eq, formatDate, path }
