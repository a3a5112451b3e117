// foidesk's one ES module: starts the GOV.UK Frontend and MoJ Frontend components on the page.
// Browsers without ES module support never run it (they get the no-JavaScript experience).
import { initAll as initGOVUK } from './dist/govuk-frontend.min.js'
import { initAll as initMOJ } from './dist/moj-frontend.min.js'

initGOVUK()
initMOJ()
