// Progressive enhancement only: the NHS.UK components' own behaviour. Every page works without this file.
import { initAll } from '/assets/nhsuk-frontend.min.js'

initAll()
