// The explorer: loads a crisis through the saved operations, keeps the filters and the
// selection in the URL, and redraws the timeline, the map and the table from one state.
/* global d3 */
import { config, everything, run, say } from "./api.js";
import { dayString, periodEnd, periodStart, DAY } from "./dates.js";
import { createMap } from "./map.js";
import { showRecord } from "./panel.js";
import { createTable } from "./table.js";
import { createTimeline } from "./timeline.js";

const $ = (selector) => document.querySelector(selector);
const crisisSlug = decodeURIComponent(location.pathname.split("/")[2] || "");

// "Kidal <b>x</b> <mark>Kidal</mark>": the server escapes the text and marks the hits.
function marked(fragment) {
  const out = document.createElement("span");
  out.className = "highlight";
  const decode = document.createElement("textarea");
  fragment.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const hit = part.startsWith("<mark>");
    decode.innerHTML = hit ? part.slice(6, -7) : part;
    if (hit) {
      const mark = document.createElement("mark");
      mark.textContent = decode.value;
      out.append(mark);
    } else {
      out.append(decode.value);
    }
  });
  return out;
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  return {
    from: params.get("from") || "",
    to: params.get("to") || "",
    kinds: new Set((params.get("kinds") || "").split(",").filter(Boolean)),
    actor: params.get("actor") || "",
    place: params.get("place") || "",
    q: params.get("q") || "",
    select: params.get("select") || "",
    sort: params.get("sort") || "date",
  };
}

function writeUrl(state) {
  const params = new URLSearchParams();
  for (const key of ["from", "to", "actor", "place", "q", "select"]) {
    if (state[key]) params.set(key, state[key]);
  }
  if (state.kinds.size) params.set("kinds", [...state.kinds].sort().join(","));
  if (state.sort !== "date") params.set("sort", state.sort);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

async function showList() {
  $("#list").hidden = false;
  const { crises } = await run("crises", {});
  $("#crises").replaceChildren(
    ...crises.map((crisis) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `/explore/${encodeURIComponent(crisis.slug)}`;
      a.textContent = crisis.name;
      const since = crisis.start ? ` (from ${crisis.start.iso}${crisis.end ? ` to ${crisis.end.iso}` : ""})` : "";
      const summary = document.createElement("p");
      summary.textContent = crisis.summary;
      li.append(a, since, summary);
      return li;
    }),
  );
  document.body.dataset.ready = "true";
}

function toEvent(node, order) {
  const last = node.endDate || node.date;
  return {
    ...node,
    order,
    kind: node.kind,
    precision: node.endDate ? "range" : node.date.precision.toLowerCase(),
    point: !node.endDate && node.date.precision === "DAY",
    start: periodStart(node.date.iso),
    end: periodEnd(last.iso),
    dateLabel: node.endDate ? `${node.date.iso} to ${node.endDate.iso}` : node.date.iso,
    placeSlugs: node.places.map((p) => p.slug),
    actorSlugs: node.participants.map((p) => p.actor.slug),
  };
}

async function showCrisis() {
  $("#crisis").hidden = false;
  say("Loading the crisis…");
  const [first, nodes] = await everything("events", { crisis: crisisSlug }, (data) => data.events);
  if (!first.crisis) {
    say(`There is no crisis "${crisisSlug}": see the list at /explore.`);
    return;
  }
  const [, placeNodes] = await everything("places", { crisis: crisisSlug }, (data) => data.places);
  say("");
  $("#crisis-name").textContent = `· ${first.crisis.name}`;
  document.title = `crisisgraph · ${first.crisis.name}`;

  const events = nodes.map(toEvent);
  const places = placeNodes.map((p) => ({
    ...p,
    // The gazetteer says when it gave a nearby town's position instead of the place's.
    approximate: p.sources.some((s) => /approximation/i.test(s)) || /APPROXIMATE/.test(p.note || ""),
  }));
  const placeBySlug = new Map(places.map((p) => [p.slug, p]));
  const actorBySlug = new Map();
  for (const e of events) for (const p of e.participants) actorBySlug.set(p.actor.slug, p.actor);
  const eventBySlug = new Map(events.map((e) => [e.slug, e]));
  const kinds = [...new Set(events.map((e) => e.kind))].sort();
  const color = d3.scaleOrdinal(kinds, [...d3.schemeTableau10, ...d3.schemeDark2, ...d3.schemeSet1]);

  const state = readUrl();
  let hits = null; // the search's matches: { events: Set, places: Set, highlights: Map }

  // Form controls reflect the state.
  const form = $("#filters");
  for (const kind of kinds) {
    const label = document.createElement("label");
    label.className = "kind";
    label.style.setProperty("--kind", color(kind));
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = kind;
    label.append(box, ` ${kind.toLowerCase().replaceAll("_", " ")}`);
    $("#kinds").append(label);
  }
  const actors = [...actorBySlug.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const actor of actors) form.actor.append(new Option(actor.name, actor.slug));

  function syncForm() {
    form.from.value = state.from;
    form.to.value = state.to;
    form.actor.value = state.actor;
    if (document.activeElement !== form.q) form.q.value = state.q; // never under the typist
    for (const box of $("#kinds").querySelectorAll("input")) box.checked = state.kinds.has(box.value);
  }

  const fromTime = () => (state.from ? Date.parse(state.from) : -Infinity);
  const toTime = () => (state.to ? Date.parse(state.to) + DAY : Infinity);
  // Dates compare by overlap, as the API's `from`/`to` do.
  function matches(e, ignorePlace = false) {
    if (e.end <= fromTime() || e.start >= toTime()) return false;
    if (state.kinds.size && !state.kinds.has(e.kind)) return false;
    if (state.actor && !e.actorSlugs.includes(state.actor)) return false;
    if (!ignorePlace && state.place && !e.placeSlugs.includes(state.place)) return false;
    if (hits && !hits.events.has(e.slug) && !e.placeSlugs.some((p) => hits.places.has(p))) return false;
    return true;
  }
  const filtered = () => state.from || state.to || state.kinds.size || state.actor || state.place || hits;

  const select = (kind, slug, record) => {
    if (kind === "actor" && record && !actorBySlug.has(slug)) actorBySlug.set(slug, record);
    state.select = `${kind}:${slug}`;
    if (kind === "place") state.place = state.place === slug ? "" : slug;
    render();
    openSelection();
  };

  const extent = [d3.min(events, (e) => e.start), d3.max(events, (e) => e.end)];
  const start = first.crisis.start ? periodStart(first.crisis.start.iso) : extent[0];
  const timeline = createTimeline($("#timeline"), {
    kinds,
    color,
    domain: [Math.max(start, extent[0]), extent[1]],
    onBrush(range) {
      state.from = range ? dayString(range[0]) : "";
      state.to = range ? dayString(range[1], true) : "";
      render();
    },
    onSelect: select,
  });
  const map = await createMap($("#map"), {
    assets: config.assets,
    places,
    home: first.crisis.country || {},
    onSelect: select,
  });
  const table = createTable($("#events"), $("#csv"), $("#count"), {
    onSelect: select,
    onSort(sort) {
      state.sort = sort;
      render();
    },
  });

  // The chosen actor's relations, drawn under the timeline.
  let relationsOf = null;
  async function showRelations() {
    if (state.actor === relationsOf) return;
    relationsOf = state.actor;
    const actor = actorBySlug.get(state.actor);
    if (!actor) {
      timeline.showRelations("", []);
      return;
    }
    const [, found] = await everything("relations", { crisis: crisisSlug, actor: actor.id }, (data) => data.relations);
    if (relationsOf !== actor.slug) return; // another actor was chosen meanwhile
    const bands = found.map((r) => {
      return {
        slug: r.slug,
        label: `${r.subject.name} ${r.kind.toLowerCase().replaceAll("_", " ")} ${r.object.name}`,
        dates: `${r.start ? r.start.iso : "start unknown"} to ${r.end ? r.end.iso : "end unknown"}`,
        from: r.start ? periodStart(r.start.iso) : null,
        to: r.end ? periodEnd(r.end.iso) : null,
      };
    });
    timeline.showRelations(actor.name, bands);
  }

  function render() {
    showRelations().catch((error) => say(`Could not load the relations: ${error.message}`));
    syncForm();
    writeUrl(state);
    const shown = events.filter((e) => matches(e));
    const [kind, slug] = state.select.split(":");
    const range = state.from || state.to ? [Math.max(fromTime(), -8.64e15), Math.min(toTime(), 8.64e15)] : null;
    timeline.update(shown, { selected: kind === "event" ? slug : null, range });
    // The map shows the places of the events that pass every filter but the place itself,
    // so that choosing a place leaves the others on the map to choose next.
    const counts = new Map();
    for (const e of events.filter((e) => matches(e, true))) {
      for (const p of e.placeSlugs) counts.set(p, (counts.get(p) || 0) + 1);
    }
    const visible = filtered() ? new Set(counts.keys()) : new Set(placeBySlug.keys());
    if (kind === "place") visible.add(slug);
    const eventPlaces = kind === "event" && eventBySlug.has(slug) ? eventBySlug.get(slug).placeSlugs : [];
    map.update({ counts, visible, selected: kind === "place" ? slug : eventPlaces[0] || null });
    const rows = shown.map((e) => ({
      slug: e.slug,
      order: e.order,
      date: e.date.iso,
      end: e.endDate ? e.endDate.iso : "",
      kind: e.kind,
      title: e.title,
      places: e.placeSlugs.map((p) => (placeBySlug.get(p) || { name: p }).name).join("; "),
      actors: e.participants.map((p) => p.actor.name).join("; "),
    }));
    table.update(rows, state.sort, hits ? hits.highlights : new Map(), kind === "event" ? slug : null);
  }

  async function openSelection() {
    const [kind, slug] = state.select.split(":");
    const record = { event: eventBySlug, place: placeBySlug, actor: actorBySlug }[kind]?.get(slug);
    if (!record) return;
    await showRecord($("#panel"), kind, record.id, {
        onSelect: select,
        onActor(actor) {
          state.actor = actor;
          render();
        },
        eventsOf(which, key) {
          return events.filter((e) => (which === "place" ? e.placeSlugs : e.actorSlugs).includes(key));
        },
    });
  }

  let searches = 0;
  async function search() {
    const mine = ++searches;
    if (!state.q.trim()) {
      hits = null;
      return;
    }
    const [, edges] = await everything("search", { crisis: crisisSlug, query: state.q }, (data) => data.search);
    if (mine !== searches) return; // a later search has started: its answer wins
    hits = { events: new Set(), places: new Set(), highlights: new Map() };
    for (const edge of edges) {
      const slug = edge.node.slug;
      (edge.node.__typename === "Event" ? hits.events : hits.places).add(slug);
      if (edge.node.__typename === "Event" && edge.highlights.length) {
        hits.highlights.set(slug, marked(edge.highlights[0].fragment));
      }
    }
  }

  let typing = null;
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.name === "q") {
      clearTimeout(typing);
      typing = setTimeout(async () => {
        state.q = target.value;
        try {
          await search();
          say("");
        } catch (error) {
          say(`The search failed: ${error.message}`);
        }
        render();
      }, 300);
      return;
    }
    if (target.name === "from" || target.name === "to") state[target.name] = target.value;
    if (target.name === "actor") state.actor = target.value;
    if (target.closest("#kinds")) {
      if (target.checked) state.kinds.add(target.value);
      else state.kinds.delete(target.value);
    }
    render();
  });
  $("#reset").addEventListener("click", () => {
    Object.assign(state, { from: "", to: "", actor: "", place: "", q: "", kinds: new Set() });
    hits = null;
    render();
  });

  await search();
  render();
  await openSelection();
  document.body.dataset.ready = "true"; // for tests and tools: the first render is done
}

async function main() {
  if (!config.assets) return; // the page already says which command to run
  try {
    await (crisisSlug ? showCrisis() : showList());
  } catch (error) {
    say(`Could not load: ${error.message}`);
  }
}

main();
