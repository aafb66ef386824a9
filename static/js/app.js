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
