// The map: Natural Earth's country borders (world-atlas, drawn with d3-geo; no tile
// server), and one marker per place with coordinates, its area proportional to the number
// of events shown there. Approximate coordinates are drawn hollow with a dashed ring.
/* global d3, topojson */

// Area proportional to the number of events, from a small dot for none.
const radius = (events) => 4 + 2 * Math.sqrt(events);

// The map opens on the crisis's country (`home`); a button shows every place.
export async function createMap(element, { assets, places, home, onSelect }) {
  const width = Math.max(element.clientWidth, 320);
  const height = Math.max(element.clientHeight, 380);
  const world = await d3.json(`${assets}/world-atlas/countries-50m.json`);
  const located = places.filter((p) => p.latitude !== null && p.longitude !== null);
  const points = { type: "MultiPoint", coordinates: located.map((p) => [p.longitude, p.latitude]) };
  const [[west, south], [east, north]] = d3.geoBounds(points);
  const pad = 2; // degrees around the places, so that they do not touch the edge
  const frame = {
    type: "MultiPoint",
    coordinates: [
      [west - pad, south - pad],
      [east + pad, north + pad],
    ],
  };
  const projection = d3.geoMercator().fitExtent(
    [
      [10, 10],
      [width - 10, height - 10],
    ],
    frame,
  );
  const path = d3.geoPath(projection);
  let transform = d3.zoomIdentity;
  let state = { counts: new Map(), visible: new Set(), selected: null };

  const svg = d3
    .select(element)
    .append("svg")
    .attr("width", width)
    .attr("height", height)
    .attr("role", "img")
    .attr("aria-label", "Map of the places of the events shown; the table below lists them");
  const land = svg.append("g").attr("class", "land");
  land
    .append("path")
    .attr("class", "countries")
    .attr("d", path(topojson.feature(world, world.objects.countries)));
  land
    .append("path")
    .attr("class", "borders")
    .attr("d", path(topojson.mesh(world, world.objects.countries, (a, b) => a !== b)));
  const markers = svg.append("g").attr("class", "markers");
  const legend = svg.append("g").attr("class", "legend").attr("transform", `translate(12,${height - 40})`);
  legend.append("circle").attr("class", "marker").attr("cx", 6).attr("cy", 0).attr("r", 5);
  legend.append("text").attr("x", 16).attr("dy", "0.35em").text("place (area: events)");
  legend.append("circle").attr("class", "marker approximate").attr("cx", 6).attr("cy", 18).attr("r", 5);
  legend.append("text").attr("x", 16).attr("y", 18).attr("dy", "0.35em").text("approximate coordinates");

  const zoom = d3
    .zoom()
    .scaleExtent([0.5, 40])
    .on("zoom", (event) => {
      transform = event.transform;
      land.attr("transform", transform);
      land.select(".borders").attr("stroke-width", 0.7 / transform.k);
      draw();
    });
  svg.call(zoom);
  const inside = located.filter((p) => p.slug === home.slug || (p.country && p.country.slug === home.slug));
  let homeView = d3.zoomIdentity;
  if (inside.length > 1) {
    const xy = inside.map((p) => projection([p.longitude, p.latitude]));
    const [x0, x1] = d3.extent(xy, (point) => point[0]);
    const [y0, y1] = d3.extent(xy, (point) => point[1]);
    const k = Math.min(40, 0.55 * Math.min(width / (x1 - x0 || 1), height / (y1 - y0 || 1)));
    homeView = d3.zoomIdentity.translate(width / 2, height / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
  }
  const buttons = d3.select(element).append("div").attr("class", "map-buttons");
  buttons.append("button").attr("type", "button").text(home.name || "Home").on("click", () => svg.call(zoom.transform, homeView));
  buttons.append("button").attr("type", "button").text("Every place").on("click", () => svg.call(zoom.transform, d3.zoomIdentity));
  svg.call(zoom.transform, homeView);

  function draw() {
    const count = (p) => state.counts.get(p.slug) || 0;
    // The largest first, so that a small marker is never hidden under a large one.
    const shown = located.filter((p) => state.visible.has(p.slug)).sort((a, b) => count(b) - count(a));
    const groups = markers
      .selectAll(".place")
      .data(shown, (p) => p.slug)
      .join((enter) => {
        const g = enter
          .append("g")
          .attr("class", (p) => `place${p.approximate ? " approximate" : ""}`)
          .attr("data-place-slug", (p) => p.slug)
          .on("click", (event, p) => onSelect("place", p.slug));
        g.append("circle").attr("class", (p) => `marker${p.approximate ? " approximate" : ""}`);
        g.append("text").attr("dy", "0.35em").text((p) => p.name);
        g.append("title");
        return g;
      })
      .order()
      .classed("selected", (p) => p.slug === state.selected)
      .attr("transform", (p) => `translate(${transform.apply(projection([p.longitude, p.latitude]))})`);
    groups.select("circle").attr("r", (p) => radius(count(p)));
    groups.select("text").attr("x", (p) => radius(count(p)) + 3);
    groups.select("title").text((p) => {
      const n = count(p);
      const where = p.approximate ? " (approximate coordinates)" : "";
      return `${p.name}${where}: ${n} event${n === 1 ? "" : "s"}`;
    });
    markers.selectAll(".place.selected").raise();
  }

  return {
    update(next) {
      state = next;
      draw();
    },
  };
}
