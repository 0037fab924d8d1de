// A form's team list narrowed to the service area chosen (allotting one audit, starting one).
// Without this script the server narrows the list once the form comes back (and refuses a
// team of another area); with it the list follows the area select as it changes.
const form = document.querySelector('[data-team-options]')
const area = form && form.querySelector('select[name="service_area_id"]')
const team = form && form.querySelector('select[name="team_id"]')
if (area && team) {
  // Every team as [team id, its area's id, label]: the page's list may hold one area's alone.
  const teams = JSON.parse(form.dataset.teamOptions)
  const blank = team.querySelector('option[value=""]').cloneNode(true)
  const narrow = () => {
    const chosen = team.value
    const options = teams
      .filter(([, areaId]) => !area.value || areaId === area.value)
      .map(([id, , label]) => new Option(label, id))
    team.replaceChildren(blank.cloneNode(true), ...options)
    team.value = options.some((option) => option.value === chosen) ? chosen : ''
  }
  area.addEventListener('change', narrow)
  narrow()
}
