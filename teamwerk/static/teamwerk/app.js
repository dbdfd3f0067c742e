// Forms marked data-autosubmit submit as soon as their select changes (school and language).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});

// A failed htmx request must never fail silently: show the server's message.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("htmx-error");
  const text = event.detail.xhr.status === 403 || event.detail.xhr.status === 404
    ? box?.dataset.forbidden
    : box?.dataset.generic;
  if (box) {
    box.textContent = text || "Error";
    box.classList.remove("d-none");
  }
});
