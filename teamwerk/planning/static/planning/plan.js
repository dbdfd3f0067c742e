// Task overview: "select the whole domain" checkboxes and a count of ticked tasks for the
// bulk actions. Everything else is htmx; nothing here is needed to save a choice.
(function () {
  function updateCount() {
    const label = document.querySelector("[data-selected-count]");
    if (!label) return;
    const count = document.querySelectorAll('input[name="items"][form="bulk-form"]:checked').length;
    label.textContent = count === 0 ? "" : count === 1
      ? label.dataset.templateOne
      : label.dataset.templateMany.replace("__", String(count));
    const scope = document.querySelector('#bulk-form select[name="scope"]');
    if (scope && count > 0) scope.value = "selected";
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches(".tw-check-domain")) {
      document
        .querySelectorAll(`input[name="items"][data-domain="${target.dataset.domain}"]`)
        .forEach((box) => { box.checked = target.checked; });
      updateCount();
    } else if (target.matches('input[name="items"]')) {
      updateCount();
    }
  });
  document.addEventListener("htmx:afterSettle", updateCount);
})();
