// Coproduce front-end entry point (ES module, copied to /static/dist/app.js).
//
// Included at the end of <body>, after htmx:
//
//   <script src="/static/dist/htmx.min.js"></script>
//   <script type="module" src="/static/dist/app.js"></script>
//
// No inline scripts anywhere: the Content-Security-Policy forbids them.
//
// htmx is configured by the <meta name="htmx-config"> tag in base.html, not
// here. The CSRF token reaches htmx requests through
// `hx-headers='{"X-CSRFToken": "..."}'` on <body>, which every hx-* element
// inherits, so nothing in this file touches htmx's configuration or requests.
//
// Everything works without JavaScript; this only enhances the page.

import { initAll } from './govuk-frontend.min.js'
import { describe } from './counting.js'

// govuk-frontend refuses to start unless <body> has this class. The page
// template adds it first thing with a nonce'd inline script (allowed by the
// CSP); this is the fallback. A module script running at all proves the
// browser supports what govuk-frontend needs.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

const MODULE_SELECTOR = '[data-module^="govuk-"]'

// govuk-frontend marks each initialised root with `data-<module>-init`, and
// constructing a component on such a root throws an InitError.
function isPending(element) {
  return !element.hasAttribute(`data-${element.getAttribute('data-module')}-init`)
}

function pendingModules(scope) {
  const found = Array.from(scope.querySelectorAll(MODULE_SELECTOR))
  if (scope.matches(MODULE_SELECTOR)) found.unshift(scope)
  return found.filter(isPending)
}

function onError(error, context) {
  // A root already initialised by an earlier call: expected, nothing to do.
  if (error && error.name === 'InitError') return
  console.error(error, context)
}

// Initialise the govuk-frontend components inside `scope` exactly once each.
function initScope(scope) {
  if (!(scope instanceof Element) || !scope.isConnected) return
  if (pendingModules(scope).length === 0) return
  // initAll only looks at descendants of `scope`; when the swapped-in element
  // is itself a component root (an outerHTML swap, or the first top-level
  // element of a fragment), start one level up. Roots already initialised
  // there are skipped by onError above.
  const root = scope.matches(MODULE_SELECTOR) && scope.parentElement ? scope.parentElement : scope
  initAll({ scope: root, onError })
}

// An error summary takes focus so screen readers announce it. The ErrorSummary
// component already does this when it initialises (unless
// data-disable-auto-focus="true"); this only covers a summary rendered without
// its data-module, and never moves focus a second time.
function focusErrorSummary(scope) {
  const summary = scope.matches('.govuk-error-summary') ? scope : scope.querySelector('.govuk-error-summary')
  if (!summary || summary.contains(document.activeElement)) return
  if (summary.getAttribute('data-disable-auto-focus') === 'true') return
  if (summary.hasAttribute('data-govuk-error-summary-init')) return
  if (!summary.hasAttribute('tabindex')) {
    summary.setAttribute('tabindex', '-1')
    summary.addEventListener('blur', () => summary.removeAttribute('tabindex'), { once: true })
  }
  summary.focus()
}

initAll({ onError })

// htmx fires `htmx:load` on each top-level element it swaps in, after it has
// restored focus to the previously focused element, so the error summary's
// focus wins. It also fires once for <body> at start-up; everything there is
// already initialised, so that call does nothing.
document.body.addEventListener('htmx:load', (event) => {
  const element = event.detail && event.detail.elt
  if (!(element instanceof Element)) return
  initScope(element)
  initCounts(element)
  focusErrorSummary(element)
})

// Survey forms with every question on one page: a question asked only after a
// certain earlier answer (show-if) is hidden until that answer is chosen. The
// server decides what is stored either way; without JavaScript such questions
// show, each saying when to answer it.
function showIfState(form, block) {
  const source = block.getAttribute('data-show-if')
  const wanted = block.getAttribute('data-show-if-values').split(' ')
  const sourceBlock = form.querySelector(`[data-question="${source}"]`)
  if (sourceBlock && sourceBlock.hidden) return false
  const chosen = Array.from(form.querySelectorAll(`[name="q${source}"]`))
    .filter((input) => input.checked)
    .map((input) => input.value)
  return chosen.some((value) => wanted.includes(value))
}

function applyShowIf(form) {
  // In question order, so a chain of conditions settles in one pass.
  for (const block of form.querySelectorAll('[data-show-if]')) {
    block.hidden = !showIfState(form, block)
  }
}

for (const form of document.querySelectorAll('form[data-survey-form]')) {
  applyShowIf(form)
  form.addEventListener('change', () => applyShowIf(form))
}

// Written answers with a word or character limit (templates/surveys/_text_answer.html): the
// count as people type, worked out exactly as the server will (./counting.js). The visible
// count changes at once; screen readers hear it once typing pauses, through a polite live
// region, so they are not interrupted at every key.
const ANNOUNCE_AFTER_MS = 1000

function initCount(group) {
  if (group.hasAttribute('data-app-count-init')) return
  const field = group.querySelector('textarea, input')
  const limit = group.querySelector('[data-count-limit]')
  const status = group.querySelector('[data-count-status]')
  const announce = group.querySelector('[data-count-announce]')
  if (!field || !limit || !status || !announce) return
  group.setAttribute('data-app-count-init', '')
  const words = group.getAttribute('data-max-words')
  const limits = {
    words: words === null ? null : Number(words),
    characters: Number(group.getAttribute('data-max-characters')),
    saysCharacters: group.getAttribute('data-says-characters') === 'true',
  }
  const multiline = group.getAttribute('data-multiline') === 'true'
  // The limit stays for screen readers (the field is described by it); the count replaces it
  // on screen.
  limit.classList.add('govuk-visually-hidden')
  status.hidden = false
  let timer = null
  const update = (announceNow) => {
    const { text, over } = describe(field.value, multiline, limits)
    status.textContent = text
    status.classList.toggle('govuk-error-message', over)
    status.classList.toggle('govuk-hint', !over)
    field.classList.toggle(multiline ? 'govuk-textarea--error' : 'govuk-input--error', over || group.classList.contains('govuk-form-group--error'))
    window.clearTimeout(timer)
    if (announceNow) return
    timer = window.setTimeout(() => {
      announce.textContent = text
    }, ANNOUNCE_AFTER_MS)
  }
  field.addEventListener('input', () => update(false))
  update(true)
}

function initCounts(scope) {
  if (!(scope instanceof Element)) return
  const groups = Array.from(scope.querySelectorAll('[data-app-count]'))
  if (scope.matches('[data-app-count]')) groups.unshift(scope)
  groups.forEach(initCount)
}

initCounts(document.body)
