// The timeline: one lane per event kind, a day drawn as a dot, a month- or year-precision
// date as a dashed span over its month or year, a range as a solid span from date to end.
// Wheel or drag on the lanes to zoom and pan; drag on the strip under the axis to pick
// dates (snapped to months, or to days when zoomed in far enough to tell them apart).
// With one actor chosen, its relations follow as bands, open-ended where a date is unknown.
/* global d3 */
import { DAY } from "./dates.js";

const LANE = 16;
const LABELS = 150;
const AXIS = 22;
const STRIP = 26;

export function createTimeline(element, { kinds, color, domain, onBrush, onSelect }) {
  const width = Math.max(element.clientWidth, 600);
  const inner = width - LABELS - 10;
  const lanesHeight = kinds.length * LANE;
  const height = lanesHeight + AXIS + STRIP + 6;
  let bands = [];
  const lane = new Map(kinds.map((kind, i) => [kind, i]));
  const base = d3.scaleUtc().domain(domain).range([0, inner]);
  let x = base;
  let shown = [];
  let selected = null;
  let range = null; // [start, end) in ms, the brushed dates

  const svg = d3
    .select(element)
    .append("svg")
    .attr("width", width)
    .attr("height", height)
    .attr("role", "img")
    .attr("aria-label", "Events by date and kind; the table below lists the same events");
  svg
    .append("defs")
    .append("clipPath")
    .attr("id", "timeline-clip")
    .append("rect")
    .attr("width", inner)
    .attr("height", height);
  svg
    .append("g")
    .attr("class", "lane-labels")
    .selectAll("text")
    .data(kinds)
    .join("text")
    .attr("x", LABELS - 8)
    .attr("y", (kind) => lane.get(kind) * LANE + LANE / 2)
    .attr("dy", "0.35em")
    .attr("text-anchor", "end")
    .text((kind) => kind.toLowerCase().replaceAll("_", " "));
  svg
    .append("g")
    .attr("class", "lane-swatches")
    .selectAll("rect")
    .data(kinds)
    .join("rect")
    .attr("x", LABELS - 6)
    .attr("y", (kind) => lane.get(kind) * LANE + 3)
    .attr("width", 5)
    .attr("height", LANE - 6)
    .attr("fill", (kind) => color(kind));
  const plot = svg.append("g").attr("transform", `translate(${LABELS},0)`);
  const surface = plot.append("g").attr("clip-path", "url(#timeline-clip)");
  surface
    .append("g")
    .attr("class", "lane-bands")
    .selectAll("rect")
    .data(kinds)
    .join("rect")
    .attr("y", (kind) => lane.get(kind) * LANE)
    .attr("width", inner)
    .attr("height", LANE);
  const items = surface.append("g").attr("class", "items");
  const axis = plot.append("g").attr("class", "axis").attr("transform", `translate(0,${lanesHeight})`);
  const strip = plot
    .append("g")
    .attr("class", "brush")
    .attr("transform", `translate(0,${lanesHeight + AXIS})`);
  plot
    .append("text")
    .attr("class", "brush-hint")
    .attr("x", 4)
    .attr("y", lanesHeight + AXIS + STRIP / 2)
    .attr("dy", "0.35em")
    .text("drag here to pick dates");

  const relations = plot.append("g").attr("class", "relations").attr("transform", `translate(0,${height})`);
  const relationsClip = svg
    .select("defs")
    .append("clipPath")
    .attr("id", "relations-clip")
    .append("rect")
    .attr("width", inner);
  const brush = d3
    .brushX()
    .extent([
      [0, 0],
      [inner, STRIP],
    ])
    .on("end", (event) => {
      if (!event.sourceEvent) return; // moved by the page, not by a person
      if (!event.selection) {
        range = null;
        onBrush(null);
        return;
      }
      const interval = x(DAY) - x(0) >= 3 ? d3.utcDay : d3.utcMonth;
      let [start, end] = event.selection.map((px) => interval.round(x.invert(px)));
      if (end <= start) end = interval.offset(start, 1);
      range = [+start, +end];
      strip.call(brush.move, range.map(x));
      onBrush(range);
    });
  strip.call(brush);

  const zoom = d3
    .zoom()
    .scaleExtent([0.02, 5000])
    .extent([
      [0, 0],
      [inner, lanesHeight],
    ])
    .filter((event) => !event.target.closest(".brush") && (!event.button || event.type === "wheel"))
    .on("zoom", (event) => {
      x = event.transform.rescaleX(base);
      draw();
    });
  svg.call(zoom);

  function draw() {
    axis.call(d3.axisBottom(x).ticks(inner / 90));
    items
      .selectAll(".event")
      .data(shown, (e) => e.slug)
      .join((enter) => {
        const g = enter
          .append("g")
          .attr("class", (e) => `event ${e.point ? "point" : "span"} precision-${e.precision}`)
          .attr("data-event-slug", (e) => e.slug)
          .attr("data-kind", (e) => e.kind)
          .on("click", (event, e) => onSelect("event", e.slug));
        g.append("title").text((e) => `${e.dateLabel} · ${e.title}`);
        g.filter((e) => e.point).append("circle").attr("r", 5);
        g.filter((e) => !e.point)
          .append("rect")
          .attr("height", LANE - 6)
          .attr("rx", 2);
        return g;
      })
      .classed("selected", (e) => e.slug === selected)
      .attr("fill", (e) => color(e.kind))
      .attr("stroke", (e) => color(e.kind))
      .each(function (e) {
        const y = lane.get(e.kind) * LANE;
        const g = d3.select(this);
        if (e.point) {
          g.select("circle").attr("cx", x((e.start + e.end) / 2)).attr("cy", y + LANE / 2);
        } else {
          const left = x(e.start);
          g.select("rect")
            .attr("x", left)
            .attr("y", y + 3)
            .attr("width", Math.max(3, x(e.end) - left));
        }
      });
    strip.call(brush.move, range ? range.map(x) : null);
    drawRelations();
  }

  function drawRelations() {
    svg.attr("height", height + (bands.length ? (bands.length + 1) * LANE : 0));
    relationsClip.attr("height", (bands.length + 1) * LANE);
    relations
      .selectAll("text.heading")
      .data(bands.length ? [bands.actor] : [])
      .join("text")
      .attr("class", "heading")
      .attr("x", 4)
      .attr("y", LANE / 2)
      .attr("dy", "0.35em")
      .text((name) => `Relations of ${name} (dashed: a start or an end the page does not give)`);
    const [left, right] = x.range();
    relations
      .selectAll(".relation")
      .data(bands, (r) => r.slug)
      .join((enter) => {
        const g = enter
          .append("g")
          .attr("class", "relation")
          .attr("data-relation-slug", (r) => r.slug)
          .attr("clip-path", "url(#relations-clip)");
        g.append("rect").attr("height", LANE - 4);
        g.append("text").attr("dy", "0.35em");
        g.append("title");
        return g;
      })
      .classed("open-start", (r) => r.from === null)
      .classed("open-end", (r) => r.to === null)
      .each(function (r, i) {
        const y = (i + 1) * LANE;
        const start = r.from === null ? left - 10 : Math.max(left - 10, x(r.from));
        const end = r.to === null ? right + 10 : Math.min(right + 10, x(r.to));
        const g = d3.select(this);
        g.select("rect").attr("x", start).attr("y", y + 2).attr("width", Math.max(3, end - start));
        g.select("text").attr("x", Math.max(start, left) + 4).attr("y", y + LANE / 2).text(r.label);
        g.select("title").text(`${r.label}: ${r.dates}`);
      });
  }

  return {
    // [{ slug, label, dates, from, to }], from/to in ms or null when the page gives none.
    showRelations(actor, list) {
      bands = list;
      bands.actor = actor;
      drawRelations();
    },
    update(events, state) {
      shown = events;
      selected = state.selected;
      range = state.range;
      draw();
    },
  };
}
