// The side panel: a record's fields, who and where, its relations, and each piece of
// evidence shown inside its passage with the quote marked, plus its query in GraphiQL.
import { graphiqlLink, run } from "./api.js";

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function link(kind, record, onSelect) {
  const a = el("a", { href: "#", "data-select": `${kind}:${record.slug}` }, record.name || record.title);
  a.addEventListener("click", (event) => {
    event.preventDefault();
    onSelect(kind, record.slug, record);
  });
  return a;
}

function field(list, name, ...value) {
  if (value.length && value[0] !== null && value[0] !== undefined && value[0] !== "") {
    list.append(el("dt", {}, name), el("dd", {}, ...value));
  }
}

// The passage with the quote marked. Offsets count code points (as Python does), so the
// text is split into code points before it is cut.
function evidence(item) {
  const chars = Array.from(item.passage.text);
  const section = item.passage.section ? ` (${item.passage.section})` : "";
  return el(
    "figure",
    { class: "evidence" },
    el(
      "blockquote",
      {},
      chars.slice(0, item.start).join(""),
      el("mark", {}, chars.slice(item.start, item.end).join("")),
      chars.slice(item.end).join(""),
    ),
    el("figcaption", {}, `Passage ${item.passage.seq}${section}`),
  );
}

function dates(record) {
  const end = record.endDate ? ` to ${record.endDate.iso}` : "";
  return `${record.date.iso}${end}`;
}

export async function showRecord(panel, kind, id, { onSelect, onActor, eventsOf }) {
  panel.replaceChildren(el("p", { class: "hint" }, "Loading…"));
  let node;
  try {
    ({ node } = await run("record", { id }));
  } catch (error) {
    panel.replaceChildren(el("p", {}, `Could not load the record: ${error.message}`));
    return;
  }
  if (!node) {
    panel.replaceChildren(el("p", {}, "No such record."));
    return;
  }
  const fields = el("dl");
  const sort = node.eventKind || node.placeKind || node.actorKind;
  const body = [el("p", { class: "kind" }, `${kind} · ${sort.toLowerCase().replaceAll("_", " ")}`)];
  if (kind === "event") {
    body.push(el("h2", {}, node.title), fields);
    field(fields, "Date", dates(node));
    field(fields, "Description", node.description);
    field(fields, "Note", node.note);
    const who = el("ul");
    for (const p of node.participants) {
      who.append(el("li", {}, link("actor", p.actor, onSelect), ` (${p.role.toLowerCase()})`));
    }
    field(fields, "Participants", node.participants.length ? who : null);
    const where = el("ul");
    for (const place of node.places) where.append(el("li", {}, link("place", place, onSelect)));
    field(fields, "Places", node.places.length ? where : null);
    const figures = node.figures.map((f) => `${f.qualifier.toLowerCase().replaceAll("_", " ")} ${f.value} ${f.measure}`);
    field(fields, "Figures", figures.join("; "));
  } else {
    body.push(el("h2", {}, node.name), fields);
    field(fields, "Also called", node.aliases.join(", "));
    field(fields, "Description", node.description);
    if (kind === "place") {
      const where = node.latitude === null ? null : `${node.latitude}, ${node.longitude}`;
      field(fields, "Coordinates", where);
      field(fields, "Country", node.country && node.country.name);
      field(fields, "Coordinates from", node.sources.join("; "));
    }
    field(fields, "Note", node.note);
    if (kind === "actor") {
      const only = el("button", { type: "button" }, "Show only this actor's events");
      only.addEventListener("click", () => onActor(node.slug));
      body.push(only);
      const relations = el("ul");
      for (const r of node.relations) {
        const span = [r.start && r.start.iso, r.end && r.end.iso];
        const when = span[0] || span[1] ? ` (${span[0] || "?"} to ${span[1] || "?"})` : "";
        relations.append(
          el("li", {}, link("actor", r.subject, onSelect), ` ${r.kind.toLowerCase().replaceAll("_", " ")} `,
            link("actor", r.object, onSelect), when),
        );
      }
      field(fields, "Relations", node.relations.length ? relations : null);
    }
    const events = eventsOf(kind, node.slug);
    const list = el("ul");
    for (const e of events) list.append(el("li", {}, `${e.dateLabel} `, link("event", e, onSelect)));
    field(fields, "Events", events.length ? list : null);
  }
  body.push(el("h3", {}, `Evidence (${node.evidence.length})`), ...node.evidence.map(evidence));
  body.push(
    el("p", {}, el("a", { href: graphiqlLink("record", { id }), class: "graphiql", target: "_blank" },
      "Open this record's query in GraphiQL")),
  );
  panel.replaceChildren(...body);
}
