// flowparty: behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.classList && el.classList.contains("js-autosubmit") && el.form) el.form.submit();
});
// Confirm dangerous actions: <button data-confirm="...">.
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
});
// Show dependent fields only when their controlling checkbox is ticked: data-shown-by="id_of_checkbox".
function syncDependents() {
  document.querySelectorAll("[data-shown-by]").forEach((block) => {
    const box = document.getElementById(block.dataset.shownBy);
    if (box) block.hidden = !box.checked;
  });
}
document.addEventListener("change", (event) => { if (event.target.type === "checkbox") syncDependents(); });
document.addEventListener("DOMContentLoaded", syncDependents);
// Cascading province -> city -> county selects: <select data-cascade="city|county" data-cascade-target="id">.
const PLACES_URL = "/registrations/places/children/";
function clearSelect(select) {
  if (!select) return;
  select.innerHTML = "";
  select.add(new Option("---------", ""));
}
async function fillChildren(source) {
  const target = document.getElementById(source.dataset.cascadeTarget);
  clearSelect(target);
  if (!target) return;
  // Changing the province also empties the county list below the city.
  if (target.dataset.cascadeTarget) clearSelect(document.getElementById(target.dataset.cascadeTarget));
  if (!source.value) return;
  const params = new URLSearchParams({ parent: source.value, level: source.dataset.cascade });
  const response = await fetch(`${PLACES_URL}?${params}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const data = await response.json();
  data.options.forEach((o) => target.add(new Option(o.label, o.value)));
  // A city without counties (东莞市) is its own only county: select it straight away.
  if (data.options.length === 1 && target.dataset.cascade === undefined) target.value = data.options[0].value;
}
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("select[data-cascade]")) fillChildren(event.target);
});
// Print buttons (no inline onclick: the Content-Security-Policy forbids it).
document.addEventListener("click", (event) => {
  if (event.target.closest(".js-print")) window.print();
});
