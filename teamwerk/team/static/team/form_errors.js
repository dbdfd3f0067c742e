// A form error is never hidden: open the closed section that holds the first error and put
// the focus on its field (the server already renders that section open).
document.addEventListener("DOMContentLoaded", () => {
  const error = document.querySelector("[data-field-error]");
  if (!error) return;
  const details = error.closest("details");
  if (details) details.open = true;
  const cell = error.closest("td, fieldset, div");
  const field = cell && cell.querySelector("select, input, textarea");
  if (field) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
    field.scrollIntoView({ block: "center" });
  }
});
