// The distribution matrix: a click on a cell opens a small editor for that task and person.
// Cells carry only the person's id (data-p) and rows the task's id (data-t), which keeps a
// matrix of 200 tasks x 80 people light; the editor itself is plain htmx.
(() => {
  let lastCell = null;

  const editor = () => document.getElementById("cell-editor");

  const close = () => {
    const box = editor();
    if (box) box.innerHTML = "";
    document.querySelectorAll("#matrix td.tw-selected").forEach((c) => c.classList.remove("tw-selected"));
    if (lastCell && document.body.contains(lastCell)) lastCell.focus();
  };

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-editor]")) {
      close();
      return;
    }
    const button = event.target.closest("#matrix button[data-p]");
    if (!button) return;
    const table = button.closest("table[data-cell-url]");
    const row = button.closest("tr[data-t]");
    if (!table || !row || !window.htmx) return;
    const url = table.dataset.cellUrl.replace("{t}", row.dataset.t).replace("{p}", button.dataset.p);
    document.querySelectorAll("#matrix td.tw-selected").forEach((c) => c.classList.remove("tw-selected"));
    button.parentElement.classList.add("tw-selected");
    lastCell = button;
    window.htmx.ajax("GET", url, { target: "#cell-editor", swap: "innerHTML" }).then(() => {
      const first = editor()?.querySelector("button:not([disabled]):not(.btn-close)");
      if (first) first.focus();
    });
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && editor()?.childElementCount) close();
  });

  // After a change the row is replaced: keep the edited cell marked so the eye finds it.
  document.addEventListener("htmx:afterSettle", () => {
    const card = document.getElementById("cell-editor-card");
    if (!card || !lastCell) return;
    const row = document.querySelector(`tr[data-t="${lastCell.closest("tr")?.dataset.t}"]`);
    const fresh = row?.querySelector(`button[data-p="${lastCell.dataset.p}"]`);
    if (fresh && fresh !== lastCell) {
      fresh.parentElement.classList.add("tw-selected");
      lastCell = fresh;
    }
  });
})();
