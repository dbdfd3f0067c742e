// The distribution matrix: a click on a cell, or Enter on it, opens a small editor for that
// task and person. Cells carry nothing but their content (a matrix of 200 tasks x 80 people
// stays light): the row's id names the task ("t-<pk>") and the column names the person
// (#matrix-columns lists the people in column order). The matrix is one keyboard stop, a
// grid: the arrow keys move between cells, Home/End go to the ends of a row.
(() => {
  let lastCell = null;

  const editor = () => document.getElementById("cell-editor");
  const table = () => document.querySelector("#matrix[data-cell-url]");
  const columns = () => (document.getElementById("matrix-columns")?.value || "").split(",");
  const taskOf = (cell) => cell.parentElement.id.replace(/^t-/, "");
  const personOf = (cell) => columns()[cell.cellIndex - 1];
  const bodyCell = (target) => {
    const cell = target.closest("#matrix[data-cell-url] tbody td");
    return cell && cell.parentElement.id.startsWith("t-") ? cell : null;
  };

  // One cell is in the tab order at a time (the roving tabindex of a grid).
  const makeCurrent = (cell, focus) => {
    const grid = table();
    if (!grid || !cell) return;
    grid.querySelectorAll("td[tabindex='0']").forEach((c) => {
      if (c !== cell) c.removeAttribute("tabindex");
    });
    cell.tabIndex = 0;
    if (focus) cell.focus();
  };

  const select = (cell) => {
    document.querySelectorAll("#matrix td.tw-selected").forEach((c) => c.classList.remove("tw-selected"));
    cell.classList.add("tw-selected");
  };

  const open = (cell) => {
    const grid = table();
    if (!grid || !window.htmx) return;
    const url = grid.dataset.cellUrl.replace("{t}", taskOf(cell)).replace("{p}", personOf(cell));
    select(cell);
    makeCurrent(cell, false);
    lastCell = cell;
    window.htmx.ajax("GET", url, { target: "#cell-editor", swap: "innerHTML" }).then(() => {
      const first = editor()?.querySelector("button:not([disabled]):not(.btn-close)");
      if (first) first.focus();
    });
  };

  const close = () => {
    const box = editor();
    if (box) box.innerHTML = "";
    document.querySelectorAll("#matrix td.tw-selected").forEach((c) => c.classList.remove("tw-selected"));
    if (lastCell && document.body.contains(lastCell)) lastCell.focus();
  };

  // The cell in the same column of the next (or previous) task row; domain rows are skipped.
  const vertical = (cell, step) => {
    const rows = Array.from(table().querySelectorAll("tbody tr[id^='t-']"));
    const row = rows[rows.indexOf(cell.parentElement) + step];
    return row ? row.cells[cell.cellIndex] : null;
  };

  const neighbour = (cell, key) => {
    const row = cell.parentElement;
    const last = row.cells.length - 1;
    switch (key) {
      case "ArrowLeft":
        return cell.cellIndex > 1 ? row.cells[cell.cellIndex - 1] : null;
      case "ArrowRight":
        return cell.cellIndex < last ? row.cells[cell.cellIndex + 1] : null;
      case "ArrowUp":
        return vertical(cell, -1);
      case "ArrowDown":
        return vertical(cell, 1);
      case "Home":
        return row.cells[1];
      case "End":
        return row.cells[last];
      default:
        return null;
    }
  };

  const setUp = () => {
    const grid = table();
    if (!grid || grid.getAttribute("role") === "grid") return;
    grid.setAttribute("role", "grid");
    makeCurrent(grid.querySelector("tbody tr[id^='t-'] td"), false);
  };
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:load", setUp);

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-editor]")) {
      close();
      return;
    }
    const cell = bodyCell(event.target);
    if (cell) open(cell);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && editor()?.childElementCount) {
      close();
      return;
    }
    const cell = event.target instanceof Element ? bodyCell(event.target) : null;
    if (!cell || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(cell);
      return;
    }
    const next = neighbour(cell, event.key);
    if (next) {
      event.preventDefault();
      makeCurrent(next, true);
    }
  });

  // After a change the row is replaced: keep the edited cell marked and in the tab order.
  document.addEventListener("htmx:afterSettle", () => {
    const card = document.getElementById("cell-editor-card");
    if (!card || !lastCell || document.body.contains(lastCell)) return;
    const row = document.getElementById(lastCell.parentElement?.id || "");
    const fresh = row?.cells[lastCell.cellIndex];
    if (fresh) {
      select(fresh);
      makeCurrent(fresh, false);
      lastCell = fresh;
    }
  });
})();
