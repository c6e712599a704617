// The events shown, as a table: sortable by any column (click or Enter on its header),
// rows reached with the arrow keys and opened with Enter; the CSV is exactly its rows.
const COLUMNS = [
  ["date", "Date"],
  ["end", "End"],
  ["kind", "Kind"],
  ["title", "Title"],
  ["places", "Places"],
  ["actors", "Actors"],
  ["slug", "Slug"],
];

function csvCell(value) {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows) {
  const lines = [COLUMNS.map(([, label]) => label.toLowerCase()).join(",")];
  for (const row of rows) lines.push(COLUMNS.map(([key]) => csvCell(row[key])).join(","));
  return lines.join("\r\n") + "\r\n";
}

export function createTable(table, download, count, { onSelect, onSort }) {
  let url = null;
  const head = table.tHead;
  const body = table.tBodies[0];

  body.addEventListener("keydown", (event) => {
    const row = event.target.closest("tr");
    if (!row) return;
    const next = { ArrowDown: row.nextElementSibling, ArrowUp: row.previousElementSibling }[event.key];
    if (next) {
      event.preventDefault();
      row.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    } else if (event.key === "Enter") {
      onSelect("event", row.dataset.eventSlug);
    }
  });

  return {
    update(rows, sort, highlights, selected) {
      const [key, direction] = sort.startsWith("-") ? [sort.slice(1), -1] : [sort, 1];
      const sorted = [...rows].sort((a, b) => direction * String(a[key]).localeCompare(String(b[key])) || a.order - b.order);
      const headRow = document.createElement("tr");
      for (const [column, label] of COLUMNS) {
        const th = document.createElement("th");
        th.scope = "col";
        th.setAttribute("aria-sort", column === key ? (direction > 0 ? "ascending" : "descending") : "none");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        button.addEventListener("click", () => onSort(column === key && direction > 0 ? `-${column}` : column));
        th.append(button);
        headRow.append(th);
      }
      head.replaceChildren(headRow);
      body.replaceChildren(
        ...sorted.map((row, i) => {
          const tr = document.createElement("tr");
          tr.dataset.eventSlug = row.slug;
          tr.tabIndex = i === 0 ? 0 : -1;
          tr.classList.toggle("selected", row.slug === selected);
          tr.addEventListener("click", () => onSelect("event", row.slug));
          for (const [column] of COLUMNS) {
            const td = document.createElement("td");
            td.textContent = row[column];
            if (column === "title" && highlights.has(row.slug)) {
              td.append(document.createElement("br"), highlights.get(row.slug).cloneNode(true));
            }
            tr.append(td);
          }
          return tr;
        }),
      );
      count.textContent = `${sorted.length} event${sorted.length === 1 ? "" : "s"} shown.`;
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([toCsv(sorted)], { type: "text/csv;charset=utf-8" }));
      download.href = url;
    },
  };
}
