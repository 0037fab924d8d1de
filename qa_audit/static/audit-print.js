// The audit page's "Print this audit" link (no inline script: the CSP forbids it).
for (const link of document.querySelectorAll('[data-app-print]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault()
    window.print()
  })
}
