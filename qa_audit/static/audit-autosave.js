// Autosave for a section page of the audit: nothing typed is lost.
//
// Two seconds after the last change, and when the page is hidden (another tab, the laptop
// closing, leaving the page), the form's draft fields are posted to the autosave address.
// The reply carries the new version, which goes into the hidden version field so that the
// next save (or the Save and continue button) is not taken for someone else's edit. A save is only
// sent when the draft fields differ from what was last saved, so an idle page sends nothing
// and the session can still time out.
const DELAY_MS = 2000
const KEEPALIVE_LIMIT = 60000 // browsers refuse larger keepalive bodies

function setUp (form) {
  const url = form.dataset.autosaveUrl
  const status = document.getElementById('autosave-status')
  const version = form.querySelector('input[name="version"]')
  const csrfInput = form.querySelector('input[name="csrf_token"]')
  const csrf = csrfInput ? csrfInput.value : ''
  let timer = null
  let inFlight = null
  let stopped = false
  let submitting = false

  // The draft's fields (with the section they belong to), not the buttons.
  function draftFields () {
    const params = new URLSearchParams()
    for (const el of form.elements) {
      if (!el.name || el.disabled || el.closest('[data-autosave-ignore]')) continue
      if (['submit', 'button', 'reset', 'file'].includes(el.type)) continue
      if (el.name === 'version' || el.name === 'csrf_token') continue
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue
      if (el.tagName === 'SELECT' && el.multiple) {
        for (const option of el.selectedOptions) params.append(el.name, option.value)
        continue
      }
      params.append(el.name, el.value)
    }
    return params
  }

  let lastSaved = draftFields().toString()

  function say (text, problem = false) {
    if (!status) return
    status.textContent = text
    status.classList.toggle('app-autosave-status--problem', problem)
  }

  function stop (text) {
    stopped = true
    clearTimeout(timer)
    say(text, true)
  }

  async function send (fields, key, keepalive) {
    const body = new URLSearchParams(fields)
    body.set('version', version.value)
    if (csrf) body.set('csrf_token', csrf)
    let response
    try {
      response = await fetch(url, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        redirect: 'manual',
        keepalive: keepalive && body.toString().length < KEEPALIVE_LIMIT,
        headers: {
          'X-Requested-With': 'XMLHttpRequest',
          'X-CSRFToken': csrf,
          Accept: 'application/json'
        }
      })
    } catch (error) {
      say('Your draft could not be saved just now. Check your connection, then select Save and continue.', true)
      return
    }
    if (response.type === 'opaqueredirect' || response.status === 401) {
      stop('You have been signed out, so your latest changes have not been saved. ' +
        'Copy anything you typed since the last save, then sign in again.')
      return
    }
    let reply = {}
    try {
      reply = await response.json()
    } catch (error) {
      reply = {}
    }
    if (response.ok) {
      version.value = String(reply.version)
      lastSaved = key
      // A box over its limit is left as it was and named; everything else is saved.
      if (reply.message) {
        say(`Draft saved at ${reply.saved_at_text}, except: ${reply.message}`, true)
      } else {
        say(`Draft saved at ${reply.saved_at_text}`)
      }
      return
    }
    if ([403, 404, 409].includes(response.status)) {
      // Someone else's save (or a submission) came first: never overwrite it from here.
      stop(reply.message || 'This audit has changed since you opened it. Reload the page.')
      return
    }
    say(`Your draft could not be saved: ${reply.message || 'reload the page and try again.'}`, true)
  }

  async function save (keepalive = false) {
    clearTimeout(timer)
    timer = null
    while (inFlight) await inFlight
    if (stopped || submitting) return
    const fields = draftFields()
    const key = fields.toString()
    if (key === lastSaved) return
    inFlight = send(fields, key, keepalive).finally(() => { inFlight = null })
    await inFlight
  }

  function changed (event) {
    const el = event.target
    if (stopped || submitting || !el.name || el.closest('[data-autosave-ignore]')) return
    clearTimeout(timer)
    if (draftFields().toString() === lastSaved) return
    timer = setTimeout(() => { save() }, DELAY_MS)
  }

  form.addEventListener('input', changed)
  form.addEventListener('change', changed)

  form.addEventListener('submit', (event) => {
    clearTimeout(timer)
    if (inFlight) {
      // Let the background save finish so the form posts the version it produced.
      event.preventDefault()
      const submitter = event.submitter
      inFlight.finally(() => {
        if (submitter) form.requestSubmit(submitter)
        else form.requestSubmit()
      })
      return
    }
    submitting = true
  })

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(true)
  })
}

const auditForm = document.querySelector('form[data-autosave-url]')
if (auditForm) setUp(auditForm)
