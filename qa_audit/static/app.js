// GOV.UK Frontend components (an ES module, loaded with type="module").
import { initAll } from './vendor/govuk/govuk-frontend.min.js'

initAll()
